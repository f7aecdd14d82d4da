package io.herdcat.cluster;

import java.io.ObjectInputFilter;

/**
 * What a replicated session may deserialize (JEP 290): bounded depth, references, array sizes and
 * stream size, and none of the classes known as deserialization gadgets. Any other class a webapp
 * stores in its sessions passes, so no webapp needs configuring; a refused class fails the read of
 * that message, which Tomcat logs.
 */
final class SessionClassFilter {
    static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(String.join(";",
            "maxdepth=64", "maxrefs=1000000", "maxarray=16777216", "maxbytes=268435456",
            "!org.apache.commons.collections.functors.*", "!org.apache.commons.collections4.functors.*",
            "!org.apache.commons.beanutils.BeanComparator", "!org.codehaus.groovy.runtime.*",
            "!com.sun.org.apache.xalan.internal.xsltc.trax.*", "!org.apache.xalan.xsltc.trax.*",
            "!com.sun.rowset.JdbcRowSetImpl", "!java.rmi.server.*", "!sun.rmi.*", "!javax.management.*",
            "!org.springframework.beans.factory.*", "!com.mchange.v2.c3p0.*", "!org.hibernate.engine.spi.*",
            "!bsh.*", "!org.python.core.*", "!clojure.*", "!net.sf.json.*", "!com.alibaba.fastjson.*"));

    private SessionClassFilter() {
    }
}
