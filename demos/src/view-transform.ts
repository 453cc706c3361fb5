import { mat3 } from 'wgpu-matrix';

/**
 * The pan and zoom shared by every panel: the field point at the panel's
 * centre, in periods of the torus along each axis ([0.5, 0.5] is the middle
 * of the domain, whatever its sides), and the zoom.
 */
export interface Camera {
  centre: [number, number];
  /** 1: the whole domain fits the panel, its longer side across the panel where that fits. */
  zoom: number;
}

/** Bounds of the zoom: out to four periods across, in until one cell of a 4096² field spans tens of pixels. */
export const ZOOM_RANGE = { min: 0.25, max: 256 } as const;

/**
 * The domain's sides as drawn, in units of its longer side: [1, 1] for a
 * square, [1, Ly/Lx] for a rectangle wider than tall. Cells need not be
 * square (nx/ny may differ from Lx/Ly): the picture keeps the domain's shape.
 */
export type Extent = readonly [number, number];

/**
 * What a page's panels draw over: a domain's extent, or `fill`: whatever the
 * panel's shape (a ring's space-time strip and its bands have no shape of
 * their own), so that at zoom 1 one period fills the panel exactly.
 */
export type Shape = Extent | 'fill';

/** The extent a shape takes in a panel of width × height pixels. */
export function extentIn(shape: Shape, width: number, height: number): Extent {
  return shape === 'fill' ? [1, height / Math.max(1, width)] : shape;
}

/** The cells of a buffer the panel draws (nx × ny, flat index iy·nx + ix). */
export interface CellGrid {
  nx: number;
  ny: number;
}

/**
 * Pixels per unit of the extent at this zoom: at zoom 1 the domain is as large
 * as fits the panel whole (contain), so one period of a square spans the
 * panel's shorter side, as before rectangles.
 */
export function pixelsPerUnit(width: number, height: number, extent: Extent, zoom: number): number {
  return zoom * Math.min(width / extent[0], height / extent[1]);
}

/**
 * How a panel of `width`×`height` pixels maps onto a buffer of `cells` over a
 * domain of `extent`: `inverse` takes clip space to periods of the torus along
 * each axis (what shaders/render-field.wgsl reads as `view.inverse`, a
 * mat3x3f of 12 floats with padding), and `footprint` is a pixel's side in
 * cells along x and y, which decides how many cells a fragment reduces on
 * each axis (at most 1: one cell, drawn as a rectangle).
 */
export function viewTransform(
  camera: Camera,
  width: number,
  height: number,
  cells: CellGrid,
  extent: Extent,
): { inverse: Float32Array; footprint: [number, number] } {
  const s = pixelsPerUnit(width, height, extent, camera.zoom);
  // One period along x spans s·extent[0] pixels: half the panel is width/2 of them.
  const m = mat3.translation(camera.centre);
  mat3.scale(m, [width / (2 * s * extent[0]), height / (2 * s * extent[1])], m);
  return { inverse: m as Float32Array, footprint: [cells.nx / (s * extent[0]), cells.ny / (s * extent[1])] };
}

/** How far the camera's centre moves, in periods along x and y, per pixel dragged. */
export function periodsPerPixel(width: number, height: number, extent: Extent, zoom: number): [number, number] {
  const s = pixelsPerUnit(width, height, extent, zoom);
  return [1 / (s * extent[0]), 1 / (s * extent[1])];
}
