// ndarray-fft ships no types; this is the one file of it that src/numeric/fft-lines.ts uses.
declare module 'ndarray-fft/lib/fft-matrix.js' {
  /**
   * Transforms `rows` contiguous rows of `columns` complex values in place:
   * real parts from `re`, imaginary parts from `im` (offsets into `buffer`),
   * scratchMemory(columns) values of scratch from `scratch`. Direction −1 is
   * e^{−2πi·kx/n} divided by n; +1 is e^{+2πi·kx/n}, unscaled.
   */
  function fftMatrix(direction: 1 | -1, rows: number, columns: number, buffer: Float64Array, re: number, im: number, scratch: number): void;
  namespace fftMatrix {
    function scratchMemory(columns: number): number;
  }
  export default fftMatrix;
}
