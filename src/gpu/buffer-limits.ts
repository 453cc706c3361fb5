/**
 * The two adapter limits one buffer must fit. A leaf of its own, so that the
 * passes (drift.ts) and the footprint checks that count their buffers can
 * both name it without importing each other.
 */
export type BufferLimits = Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize'>;
