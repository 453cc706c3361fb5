import { mat3 } from 'wgpu-matrix';

/** The pan and zoom shared by every panel: the field point at the panel's centre (field units, y up) and the zoom. */
export interface Camera {
  centre: [number, number];
  /** 1: one period of the torus spans the panel's shorter side. */
  zoom: number;
}

/** Bounds of the zoom: out to four periods across, in until one cell of a 4096² field spans tens of pixels. */
export const ZOOM_RANGE = { min: 0.25, max: 256 } as const;

/**
 * How a panel of `width`×`height` pixels maps onto a field of n×n cells:
 * `inverse` takes clip space to field units (one unit = the whole side; what
 * shaders/render-field.wgsl reads as `view.inverse`, a mat3x3f of 12 floats
 * with padding), and `footprint` is a pixel's side in cells, which decides
 * how many cells a fragment reduces (below 1: one cell, drawn as a square).
 */
export function viewTransform(camera: Camera, width: number, height: number, n: number): { inverse: Float32Array; footprint: number } {
  const side = Math.min(width, height);
  const m = mat3.translation(camera.centre);
  mat3.scale(m, [(0.5 / camera.zoom) * (width / side), (0.5 / camera.zoom) * (height / side)], m);
  return { inverse: m as Float32Array, footprint: n / (camera.zoom * side) };
}
