package io.outpaint.local.aws;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A request filter in front of S3Mock's controllers, so that a part or an object sent with its
 * checksum in a header is taken with that checksum, as S3 takes it.
 *
 * <p>The AWS CLI (and botocore, whose default is to send a CRC32 with every upload) sends both
 * {@code x-amz-sdk-checksum-algorithm: CRC32} and {@code x-amz-checksum-crc32: <value>} over a plain
 * (not aws-chunked) body. S3Mock 5.2 reads the algorithm header as "the checksum is in a trailer",
 * finds no trailer, and keeps the part without its checksum: its answer lacks
 * {@code x-amz-checksum-crc32}, the CLI's CompleteMultipartUpload then names no part checksum, and
 * S3Mock refuses it ("The upload was created using a crc32 checksum ... missing for part 1"). With
 * the algorithm header hidden when the checksum's own header is there, S3Mock checks the body
 * against that value (a wrong one is refused with BadDigest), keeps it, and answers it back.
 */
@Configuration(proxyBeanMethods = false)
public class S3MockChecksumHeaders {

    static final String SDK_ALGORITHM = "x-amz-sdk-checksum-algorithm";
    /** The headers S3 takes a checksum's value in, one per algorithm. */
    static final List<String> VALUE_HEADERS = List.of("x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme",
            "x-amz-checksum-sha1", "x-amz-checksum-sha256");

    @Bean
    public Filter checksumInHeaderFilter() {
        return (request, response, chain) -> {
            if (request instanceof HttpServletRequest http && http.getHeader(SDK_ALGORITHM) != null
                    && VALUE_HEADERS.stream().anyMatch(h -> http.getHeader(h) != null)) {
                chain.doFilter(new WithoutSdkAlgorithm(http), response);
            } else {
                chain.doFilter(request, response);
            }
        };
    }

    /** The request as sent, less {@code x-amz-sdk-checksum-algorithm}. */
    private static final class WithoutSdkAlgorithm extends HttpServletRequestWrapper {

        WithoutSdkAlgorithm(HttpServletRequest request) {
            super(request);
        }

        private static boolean hidden(String name) {
            return name != null && name.toLowerCase(Locale.ROOT).equals(SDK_ALGORITHM);
        }

        @Override
        public String getHeader(String name) {
            return hidden(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream().filter(n -> !hidden(n)).toList());
        }
    }
}
