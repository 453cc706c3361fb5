import { fieldSpec, isMap, MAPPED_FIELDS, type MappedField } from '../../src/config/maps.js';
import type { Config } from '../../src/config/schema.js';
import type { Reduction } from './field-renderer.js';

/**
 * What the field view can show, as data (no DOM): the field u, the measured
 * local entropy-production density, the theory's local density (docs/model.md
 * §8, on the measured density's colour scale), and one of the maps of noise,
 * slope and input.
 */
export type PanelKind = 'field' | 'density' | 'theory' | 'map';

export const VIEW_MODES = ['side by side', 'field', 'entropy density', 'theory density', 'density and theory', 'map', 'field and map', 'all'] as const;
export type ViewMode = (typeof VIEW_MODES)[number];

const PANELS: Record<ViewMode, PanelKind[]> = {
  'side by side': ['field', 'density'],
  field: ['field'],
  'entropy density': ['density'],
  'theory density': ['theory'],
  'density and theory': ['density', 'theory'],
  map: ['map'],
  'field and map': ['field', 'map'],
  all: ['field', 'density', 'theory', 'map'],
};

/** The map views, in the order of MAPPED_FIELDS. */
export const MAP_VIEWS = ['noise D(x)', 'slope g(x)', 'input h(x)'] as const;
export type MapView = (typeof MAP_VIEWS)[number];

export interface ViewState {
  mode: string;
  stepsPerFrame: number;
  map: MapView;
  /** How a pixel over many cells shows them (field-renderer.ts REDUCTIONS). */
  reduction: Reduction;
}

/**
 * Steps per frame when the link names none, by the grid's cells: 20 up to
 * 256² cells, then fewer in proportion, down to one from 1024² (a frame of 20
 * steps at 4096² would take seconds on a software adapter). A ring of n cells
 * or a rectangle counts its cells alike.
 */
export function defaultStepsPerFrame(cells: number): number {
  return Math.max(1, Math.min(20, Math.round((20 * 256 * 256) / cells)));
}

export function panelsOf(mode: string): PanelKind[] {
  return PANELS[(VIEW_MODES as readonly string[]).includes(mode) ? (mode as ViewMode) : 'side by side'];
}

export function mapField(view: MapView): MappedField {
  return MAPPED_FIELDS[MAP_VIEWS.indexOf(view)];
}

/** The map view of a query parameter: `noise`, `slope`, `input` or the view's own name. */
export function mapViewOf(query: string | null): MapView | undefined {
  if (query === null) return undefined;
  return MAP_VIEWS.find((v) => v === query || v.startsWith(`${query} `));
}

/**
 * The map to show for a new config: the one shown now if it is a map, else
 * the config's first map (noise, slope, input), else the one shown now.
 */
export function mapViewFor(config: Config, current: MapView): MapView {
  const mapped = (f: MappedField) => {
    const v = fieldSpec(config, f);
    return v !== undefined && isMap(v);
  };
  if (mapped(mapField(current))) return current;
  const first = MAP_VIEWS.find((v) => mapped(mapField(v)));
  return first ?? current;
}
