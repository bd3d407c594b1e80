package jsora.weights;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code data.pkl} of a {@code torch.save} zip archive without executing anything. It interprets only the
 * pickle opcodes a state dict uses, and only these globals: {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter} and the typed storage classes
 * ({@code torch.FloatStorage}, {@code torch.BFloat16Storage}, ...). Any other global is refused with an error.
 * Tensors come out as {@link TensorRef}s pointing at storages of the archive; nothing is read from them here.
 */
final class StateDictUnpickler {
    /** A storage named by a persistent id ('storage', type, key, location, numel). */
    static final class StorageRef {
        final StorageType type;
        final String key;
        final long numel;

        StorageRef(StorageType type, String key, long numel) {
            this.type = type;
            this.key = key;
            this.numel = numel;
        }
    }

    /** A tensor view of a storage: element offset, shape and strides (in elements). */
    static final class TensorRef {
        final StorageRef storage;
        final long offset;
        final int[] shape;
        final long[] stride;

        TensorRef(StorageRef storage, long offset, int[] shape, long[] stride) {
            this.storage = storage;
            this.offset = offset;
            this.shape = shape;
            this.stride = stride;
        }
    }

    private static final Map<String, StorageType> STORAGES = Map.ofEntries(
            Map.entry("DoubleStorage", StorageType.F64), Map.entry("FloatStorage", StorageType.F32),
            Map.entry("HalfStorage", StorageType.F16), Map.entry("BFloat16Storage", StorageType.BF16),
            Map.entry("LongStorage", StorageType.I64), Map.entry("IntStorage", StorageType.I32),
            Map.entry("ShortStorage", StorageType.I16), Map.entry("CharStorage", StorageType.I8),
            Map.entry("ByteStorage", StorageType.U8), Map.entry("BoolStorage", StorageType.BOOL));
    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";

    /** An allowed global, by its dotted name. */
    private static final class Global {
        final String name;

        Global(String name) {
            this.name = name;
        }
    }

    /** A pickled tuple (immutable), distinct from a list. */
    private static final class Tuple {
        final Object[] items;

        Tuple(Object[] items) {
            this.items = items;
        }
    }

    private static final Object MARK = new Object();

    private final String where;
    private final byte[] data;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private StateDictUnpickler(String where, byte[] data) {
        this.where = where;
        this.data = data;
    }

    /** The unpickled root object: maps, lists, strings, numbers, {@link TensorRef}s. */
    static Object read(String where, byte[] data) {
        try {
            return new StateDictUnpickler(where, data).run();
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(where + ": malformed pickle (" + e + ")", e);
        }
    }

    private CheckpointException fail(String what) {
        return new CheckpointException(where + ": " + what + " (at byte " + pos + ")");
    }

    private Object run() {
        while (true) {
            int op = u8();
            switch (op) {
                case 0x80: // PROTO
                    u8();
                    break;
                case 0x95: // FRAME
                    bytes(8);
                    break;
                case '.': // STOP
                    return pop();
                case '}': // EMPTY_DICT
                    push(new LinkedHashMap<>());
                    break;
                case ']': // EMPTY_LIST
                    push(new ArrayList<>());
                    break;
                case ')': // EMPTY_TUPLE
                    push(new Tuple(new Object[0]));
                    break;
                case '(': // MARK
                    marks.push(stack.size());
                    break;
                case 't': // TUPLE
                    push(new Tuple(popMark().toArray()));
                    break;
                case 0x85: case 0x86: case 0x87: { // TUPLE1..3
                    int n = op - 0x84;
                    Object[] items = new Object[n];
                    for (int i = n - 1; i >= 0; i--) {
                        items[i] = pop();
                    }
                    push(new Tuple(items));
                    break;
                }
                case 'q': // BINPUT
                    memo.put((long) u8(), peek());
                    break;
                case 'r': // LONG_BINPUT
                    memo.put(u32(), peek());
                    break;
                case 0x94: // MEMOIZE
                    memo.put((long) memo.size(), peek());
                    break;
                case 'h': // BINGET
                    push(memoGet(u8()));
                    break;
                case 'j': // LONG_BINGET
                    push(memoGet(u32()));
                    break;
                case 'X': // BINUNICODE
                    push(text(length(u32())));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    push(text(u8()));
                    break;
                case 0x8d: // BINUNICODE8
                    push(text(length(i64())));
                    break;
                case 'c': // GLOBAL "module\nname\n"
                    push(global(line(), line()));
                    break;
                case 0x93: { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String) || !(name instanceof String)) {
                        throw fail("STACK_GLOBAL needs two strings");
                    }
                    push(global((String) module, (String) name));
                    break;
                }
                case 'Q': // BINPERSID
                    push(storage(pop()));
                    break;
                case 'J': // BININT
                    push((long) (int) u32());
                    break;
                case 'K': // BININT1
                    push((long) u8());
                    break;
                case 'M': // BININT2
                    push((long) (u8() | (u8() << 8)));
                    break;
                case 0x8a: // LONG1
                    push(long1(u8()));
                    break;
                case 'G': { // BINFLOAT, big-endian
                    byte[] b = bytes(8);
                    long bits = 0;
                    for (byte x : b) {
                        bits = (bits << 8) | (x & 0xff);
                    }
                    push(Double.longBitsToDouble(bits));
                    break;
                }
                case 0x88: // NEWTRUE
                    push(Boolean.TRUE);
                    break;
                case 0x89: // NEWFALSE
                    push(Boolean.FALSE);
                    break;
                case 'N': // NONE
                    push(null);
                    break;
                case 'R': { // REDUCE
                    Object args = pop();
                    Object fn = pop();
                    push(reduce(fn, args));
                    break;
                }
                case 'b': // BUILD: only OrderedDict attributes (_metadata), which a loader does not need
                    pop();
                    if (!(peek() instanceof Map)) {
                        throw fail("BUILD on something other than a dict");
                    }
                    break;
                case 's': { // SETITEM
                    Object v = pop();
                    Object k = key(pop());
                    dict(peek()).put(k, v);
                    break;
                }
                case 'u': { // SETITEMS
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw fail("SETITEMS with an odd number of items");
                    }
                    Map<Object, Object> d = dict(peek());
                    for (int i = 0; i < items.size(); i += 2) {
                        d.put(key(items.get(i)), items.get(i + 1));
                    }
                    break;
                }
                case 'a': { // APPEND
                    Object v = pop();
                    list(peek()).add(v);
                    break;
                }
                case 'e': { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                    break;
                }
                default:
                    throw fail(String.format("unsupported pickle opcode 0x%02x: not a plain state dict", op));
            }
        }
    }

    private Object global(String module, String name) {
        String full = module + "." + name;
        boolean storage = module.equals("torch") && STORAGES.containsKey(name);
        if (!storage && !full.equals(ORDERED_DICT) && !full.equals(REBUILD_TENSOR) && !full.equals(REBUILD_PARAMETER)) {
            throw fail("refusing global '" + full + "': a state dict needs only OrderedDict, tensors and storages,"
                    + " and loading a checkpoint never executes code");
        }
        return new Global(full);
    }

    private StorageRef storage(Object pid) {
        if (!(pid instanceof Tuple) || ((Tuple) pid).items.length != 5 || !"storage".equals(((Tuple) pid).items[0])) {
            throw fail("persistent id is not ('storage', type, key, location, numel)");
        }
        Object[] t = ((Tuple) pid).items;
        if (!(t[1] instanceof Global) || !(t[2] instanceof String) || !(t[4] instanceof Long)) {
            throw fail("malformed storage persistent id");
        }
        String type = ((Global) t[1]).name;
        StorageType st = type.startsWith("torch.") ? STORAGES.get(type.substring(6)) : null;
        if (st == null || (Long) t[4] < 0) {
            throw fail("storage persistent id names " + type + " with " + t[4] + " elements");
        }
        return new StorageRef(st, (String) t[2], (Long) t[4]);
    }

    private Object reduce(Object fn, Object args) {
        if (!(fn instanceof Global) || !(args instanceof Tuple)) {
            throw fail("REDUCE of something that is not an allowed global");
        }
        Object[] a = ((Tuple) args).items;
        switch (((Global) fn).name) {
            case ORDERED_DICT:
                if (a.length != 0) {
                    throw fail("OrderedDict with constructor arguments");
                }
                return new LinkedHashMap<>();
            case REBUILD_PARAMETER:
                if (a.length < 1 || !(a[0] instanceof TensorRef)) {
                    throw fail("_rebuild_parameter without a tensor");
                }
                return a[0];
            case REBUILD_TENSOR:
                return tensor(a);
            default:
                throw fail("'" + ((Global) fn).name + "' cannot be called");
        }
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private TensorRef tensor(Object[] a) {
        if (a.length < 4 || !(a[0] instanceof StorageRef) || !(a[1] instanceof Long) || !(a[2] instanceof Tuple)
                || !(a[3] instanceof Tuple)) {
            throw fail("malformed _rebuild_tensor_v2 arguments");
        }
        Object[] size = ((Tuple) a[2]).items;
        Object[] stride = ((Tuple) a[3]).items;
        if (size.length != stride.length) {
            throw fail("tensor size and stride differ in rank (" + size.length + " vs " + stride.length + ")");
        }
        int[] shape = new int[size.length];
        long[] strides = new long[size.length];
        for (int i = 0; i < size.length; i++) {
            if (!(size[i] instanceof Long) || !(stride[i] instanceof Long) || (Long) size[i] < 0
                    || (Long) size[i] > Integer.MAX_VALUE || (Long) stride[i] < 0) {
                throw fail("invalid tensor size or stride in dimension " + i);
            }
            shape[i] = (int) (long) (Long) size[i];
            strides[i] = (Long) stride[i];
        }
        if ((Long) a[1] < 0) {
            throw fail("negative storage offset");
        }
        return new TensorRef((StorageRef) a[0], (Long) a[1], shape, strides);
    }

    /** Dict keys must be simple values: a list or dict as key (unhashable in Python) could even contain itself. */
    private Object key(Object k) {
        if (k instanceof List || k instanceof Map) {
            throw fail("dict key that is a list or dict");
        }
        return k;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (!(o instanceof Map)) {
            throw fail("SETITEM on something other than a dict");
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (!(o instanceof List)) {
            throw fail("APPEND on something other than a list");
        }
        return (List<Object>) o;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.peek())) {
            throw fail("pickle stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.peek())) {
            throw fail("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    /** The items pushed since the last MARK, in push order; they leave the stack. */
    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw fail("pickle has no MARK to pop to");
        }
        List<Object> top = stack.subList(marks.pop(), stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw fail("pickle memo has no entry " + index);
        }
        return memo.get(index);
    }

    private int u8() {
        if (pos >= data.length) {
            throw fail("pickle ends without STOP");
        }
        return data[pos++] & 0xff;
    }

    private long u32() {
        return u8() | (u8() << 8) | (u8() << 16) | ((long) u8() << 24);
    }

    private long i64() {
        return u32() | (u32() << 32);
    }

    private int length(long n) {
        if (n < 0 || n > data.length - pos) {
            throw fail("string length " + n + " runs past the end of the pickle");
        }
        return (int) n;
    }

    private byte[] bytes(int n) {
        length(n);
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    private String text(int n) {
        return new String(bytes(length(n)), StandardCharsets.UTF_8);
    }

    private String line() {
        int start = pos;
        while (u8() != '\n') {
            if (pos - start > 256) {
                throw fail("GLOBAL name longer than 256 bytes");
            }
        }
        return new String(data, start, pos - 1 - start, StandardCharsets.UTF_8);
    }

    /** LONG1: n-byte little-endian two's complement integer; a state dict needs at most 8 bytes. */
    private long long1(int n) {
        if (n > 8) {
            throw fail("integer of " + n + " bytes");
        }
        byte[] b = bytes(n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        if (n > 0 && n < 8 && (b[n - 1] & 0x80) != 0) {
            v -= 1L << (8 * n);
        }
        return v;
    }
}
