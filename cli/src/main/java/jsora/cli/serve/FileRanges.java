package jsora.cli.serve;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a file, whole or one byte range of it ({@code Range: bytes=first-last}, {@code bytes=first-} or
 * {@code bytes=-suffix}, RFC 9110 §14), so that a video player can seek: 206 with {@code Content-Range} for a range,
 * 416 for one that starts past the end, the whole file for a header it does not understand (as the RFC allows).
 */
final class FileRanges {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private FileRanges() {
    }

    static void send(HttpExchange ex, Path file, String contentType) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long first = 0;
            long last = size - 1;
            int status = 200;
            String range = ex.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range.strip());
            if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                try {
                    if (m.group(1).isEmpty()) {
                        first = Math.max(0, size - Long.parseLong(m.group(2)));
                    } else {
                        first = Long.parseLong(m.group(1));
                        last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                    }
                } catch (NumberFormatException e) {
                    first = size; // more digits than a long: past any end
                }
                if (first >= size || first > last) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                status = 206;
                ex.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + size);
            }
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            long length = last - first + 1;
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().set("Content-Length", Long.toString(length));
                ex.sendResponseHeaders(status, -1);
                return;
            }
            ex.sendResponseHeaders(status, length == 0 ? -1 : length);
            try (OutputStream out = ex.getResponseBody()) {
                WritableByteChannel to = Channels.newChannel(out);
                for (long done = 0; done < length; ) {
                    long n = ch.transferTo(first + done, length - done, to);
                    if (n <= 0) {
                        throw new IOException(file + ": ended before byte " + (first + length));
                    }
                    done += n;
                }
            }
        }
    }
}
