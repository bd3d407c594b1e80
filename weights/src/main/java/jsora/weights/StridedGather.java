package jsora.weights;

import jsora.tensor.WeightTensor;

/** Copies a strided view (PyTorch's size/stride) of a flat weight into a new row-major weight. */
final class StridedGather {
    private StridedGather() {
    }

    static WeightTensor gather(WeightTensor flat, int[] shape, long[] stride) {
        int n = Math.toIntExact(TensorInfo.numel(shape));
        int[] src = new int[n];
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            long s = 0;
            for (int d = 0; d < shape.length; d++) {
                s += idx[d] * stride[d];
            }
            src[i] = (int) s;
            for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) {
                idx[d] = 0;
            }
        }
        return pick(flat, src, shape);
    }

    /** Rows {@code ids} of a weight of shape [rows, ...]. */
    static WeightTensor rows(WeightTensor w, int[] ids, String what) {
        int[] shape = w.shape();
        if (shape.length == 0) {
            throw new CheckpointException(what + " is a scalar, it has no rows");
        }
        int row = shape[0] == 0 ? 0 : w.size() / shape[0];
        int[] src = new int[ids.length * row];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= shape[0]) {
                throw new CheckpointException(what + ": row " + ids[i] + " is out of range [0, " + shape[0] + ")");
            }
            for (int j = 0; j < row; j++) {
                src[i * row + j] = ids[i] * row + j;
            }
        }
        shape[0] = ids.length;
        return pick(w, src, shape);
    }

    private static WeightTensor pick(WeightTensor w, int[] src, int[] shape) {
        if (w.f32() != null) {
            float[] v = new float[src.length];
            for (int i = 0; i < src.length; i++) {
                v[i] = w.f32()[src[i]];
            }
            return WeightTensor.ofF32(v, shape);
        }
        short[] v = new short[src.length];
        for (int i = 0; i < src.length; i++) {
            v[i] = w.halfBits()[src[i]];
        }
        return WeightTensor.ofHalf(w.dtype(), v, shape);
    }
}
