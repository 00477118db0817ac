package io.runstream.worker.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which execution each processing thread is working on, in a small memory-mapped file per thread, so that if the
 * process dies (SIGKILL, a crash, a halt by the expression watchdog) the next start of this instance knows which
 * input was in flight. A write is a store to shared memory, not a system call: the page belongs to the file and
 * survives the process.
 */
public final class CrashMarks {

    private static final int SIZE = 4096;
    private static final String SUFFIX = ".mark";

    private final Path dir;
    private final ThreadLocal<MappedByteBuffer> marks = ThreadLocal.withInitial(this::open);

    public CrashMarks(Path dir) {
        this.dir = dir;
    }

    /** A mark of nothing: for tests and tools that run a topology without a state directory. */
    public static CrashMarks none() {
        return new CrashMarks(null);
    }

    /** This thread is about to process an input of {@code executionId}. */
    void mark(String executionId) {
        MappedByteBuffer mark = marks.get();
        if (mark == null) {
            return;
        }
        byte[] id = executionId.getBytes(StandardCharsets.UTF_8);
        mark.putInt(0, 0);
        if (id.length <= SIZE - Integer.BYTES) {
            mark.put(Integer.BYTES, id);
            mark.putInt(0, id.length);
        }
    }

    /** This thread has finished with its input. */
    void clear() {
        MappedByteBuffer mark = marks.get();
        if (mark != null) {
            mark.putInt(0, 0);
        }
    }

    /** Executions whose input was in flight when an earlier process stopped, read from its marks. */
    public List<String> leftOver() {
        List<String> ids = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(SUFFIX)).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                int length = bytes.length < Integer.BYTES ? 0 : java.nio.ByteBuffer.wrap(bytes).getInt();
                if (length > 0 && length <= bytes.length - Integer.BYTES) {
                    ids.add(new String(bytes, Integer.BYTES, length, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the crash marks in " + dir, e);
        }
        return ids;
    }

    /** Forgets the marks of earlier processes, once what they held is reported. */
    public void discardLeftOver() {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(SUFFIX)).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the crash marks in " + dir, e);
        }
    }

    private MappedByteBuffer open() {
        if (dir == null) {
            return null;
        }
        String name = ProcessHandle.current().pid() + "-" + Thread.currentThread().getName()
                .replaceAll("[^A-Za-z0-9._-]", "_") + SUFFIX;
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the crash mark " + dir.resolve(name), e);
        }
    }
}
