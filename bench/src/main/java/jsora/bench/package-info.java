/**
 * JMH benchmarks and the ONNX Runtime anchor: native code lives here only, never in {@code jsora.jar}.
 */
package jsora.bench;
