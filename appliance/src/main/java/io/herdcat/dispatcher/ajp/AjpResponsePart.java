package io.herdcat.dispatcher.ajp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.List;
import java.util.Map;

/** One packet a node sends back: response headers, a body chunk, a request for more body, the end, or a CPong. */
public sealed interface AjpResponsePart {

    /** SEND_HEADERS: the status line and headers of the response. */
    record Headers(int status, String reason, List<Map.Entry<String, String>> headers) implements AjpResponsePart {
        public Headers {
            headers = List.copyOf(headers);
        }
    }

    /** SEND_BODY_CHUNK: part of the response body. The receiver releases it. */
    final class BodyChunk extends DefaultByteBufHolder implements AjpResponsePart {
        public BodyChunk(ByteBuf data) {
            super(data);
        }

        @Override
        public ByteBufHolder replace(ByteBuf content) {
            return new BodyChunk(content);
        }
    }

    /** GET_BODY_CHUNK: the node asks for up to {@code length} more bytes of request body. */
    record GetBodyChunk(int length) implements AjpResponsePart {
    }

    /** END_RESPONSE: the response is complete; the connection may be reused when {@code reuse}. */
    record End(boolean reuse) implements AjpResponsePart {
    }

    /** CPONG_REPLY: the answer to a CPing. */
    record CPong() implements AjpResponsePart {
    }
}
