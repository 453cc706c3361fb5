import GUI, { type Controller } from 'lil-gui';
import { configSchema, startingValues, type Config } from '../../src/config/schema.js';
import { controlList, describeSchema, getAt, setOptional, switchVariant, type Control, type Key } from './schema-controls.js';
import { REDUCTIONS } from './field-renderer.js';
import { gridControlOptions, switchDimensions, switchPageAlternative } from './grid-controls.js';
import { MAP_VIEWS, VIEW_MODES, type ViewState } from './views.js';

export interface ControlHandlers {
  /** A value of the model changed: apply the config or refuse it (the GUI then shows the last good one). */
  change: (config: Config) => Promise<void>;
  actions: Record<string, () => void>;
  view: ViewState;
}

/** How an alternative that this page cannot produce is shown (a map file: a browser cannot read the user's files). */
export const NOT_OFFERED = ' (not loadable here)';

/** The config's shape, read once from the schema (schema-controls.ts). */
const tree = describeSchema(configSchema, startingValues);

/**
 * lil-gui panels for every config key, drawn from the schema, and the run and
 * the view. The controllers edit a deep copy of the parsed config in place,
 * so every key (also one the GUI does not draw) reaches export, links and the
 * run. Changes apply on finish (Enter, blur, release), not on every keystroke;
 * switching a `type` or setting an optional key redraws the panels.
 */
export class Controls {
  readonly gui: GUI;
  /** The config the panels edit. */
  private model: Config;
  private readonly run: GUI;
  /** The config's folders as drawn now, by their path of titles. */
  private readonly drawn = new Map<string, GUI>();
  private readonly closed = new Set<string>();
  private readonly mapChoice: Controller;

  constructor(config: Config, private readonly gridSizes: number[], private readonly handlers: ControlHandlers, container?: HTMLElement) {
    this.model = structuredClone(config);
    this.gui = new GUI({ title: 'amari-ep', container, width: 300 });
    this.run = this.gui.addFolder('run');
    this.run.add(handlers.view, 'stepsPerFrame', 1, 500, 1).name('steps per frame');
    this.run.add(handlers.view, 'mode', [...VIEW_MODES]).name('view').domElement.dataset.path = 'view';
    this.mapChoice = this.run.add(handlers.view, 'map', [...MAP_VIEWS]).name('map');
    this.mapChoice.domElement.dataset.path = 'map';
    // A pixel over many cells (a large grid, zoomed out): their mean, or the extreme of their min and max.
    this.run.add(handlers.view, 'reduction', [...REDUCTIONS]).name('pixel shows').domElement.dataset.path = 'reduction';
    for (const [name, fn] of Object.entries(handlers.actions)) this.run.add({ [name]: fn }, name);
    this.draw();
  }

  /** The config as the panels hold it: what export, links and the run get. */
  config(): Config {
    return structuredClone(this.model);
  }

  /** Shows a config's values (after a refusal: the last good one; after an import: the new one). */
  show(config: Config): void {
    this.model = structuredClone(config);
    this.draw();
  }

  /** Shows the view state after the page changed it (the map chosen for a new config). */
  showView(): void {
    this.mapChoice.updateDisplay();
  }

  /** The controls for the model as it is now (its variants, its optional keys). */
  controls(): Control[] {
    return controlList(tree, this.model, { rootFolder: 'dynamics', ...gridControlOptions(this.model, this.gridSizes) });
  }

  private changed(structural = false): void {
    if (structural) this.draw();
    void this.handlers.change(this.config());
  }

  /** (Re)draws the config's folders above the run folder, keeping which ones are closed. */
  private draw(): void {
    for (const [id, folder] of this.drawn) {
      if (folder._closed) this.closed.add(id);
      else this.closed.delete(id);
    }
    for (const folder of this.drawn.values()) if (folder.parent === this.gui) folder.destroy();
    this.drawn.clear();
    const folderFor = (titles: string[]): GUI => {
      let parent = this.gui;
      titles.forEach((title, i) => {
        const id = titles.slice(0, i + 1).join('/');
        let folder = this.drawn.get(id);
        if (!folder) {
          folder = parent.addFolder(title);
          if (this.closed.has(id)) folder.close();
          this.drawn.set(id, folder);
        }
        parent = folder;
      });
      return parent;
    };
    const controls = this.controls();
    // A value with two controls (the size list and the free entry) redraws both when either changes.
    const editors = new Map<string, number>();
    for (const c of controls) if (c.kind !== 'optional' && c.kind !== 'alternative') editors.set(c.id, (editors.get(c.id) ?? 0) + 1);
    for (const c of controls) this.bind(folderFor(c.folder.length ? c.folder : ['config']), c, (editors.get(c.id) ?? 0) > 1);
    this.gui.$children.appendChild(this.run.domElement);
  }

  /** Binds one control; `shared`: another control shows the same value, so a change redraws both. */
  private bind(folder: GUI, c: Control, shared = false): void {
    const add = folder.add.bind(folder) as (object: object, property: Key, ...args: unknown[]) => Controller;
    const parent = getAt(this.model, c.path.slice(0, -1)) as Record<Key, unknown>;
    const key = c.path[c.path.length - 1];
    let controller: Controller;
    switch (c.kind) {
      case 'variant': {
        // A proxy: the switch needs the old variant to carry its shared keys over.
        const proxy = { value: parent[key] };
        controller = add(proxy, 'value', c.options).onFinishChange((tag: string) => {
          switchVariant(tree, this.model, c.path, tag);
          this.changed(true);
        });
        break;
      }
      case 'alternative': {
        // The value's alternative; one this page cannot produce (a map file) is shown, not offered.
        const proxy = { value: c.value };
        const labels = Object.fromEntries(c.options!.map((o) => [c.notOffered?.includes(o) ? `${o}${NOT_OFFERED}` : String(o), o]));
        controller = add(proxy, 'value', labels).onFinishChange((name: string) => {
          if (c.notOffered?.includes(name)) return;
          switchPageAlternative(tree, this.model, c.path, name);
          this.changed(true);
        });
        break;
      }
      case 'optional': {
        const proxy = { set: c.set ?? false };
        controller = add(proxy, 'set').onFinishChange((on: boolean) => {
          setOptional(tree, this.model, c.path, on);
          this.changed(true);
        });
        break;
      }
      case 'choice':
        if (c.id === 'grid.dimensions') {
          // A ring and a torus take different forms of n, length and shift: carried over, and the forms offered redrawn.
          const proxy = { value: parent[key] };
          controller = add(proxy, 'value', c.options).onFinishChange((d: 1 | 2) => {
            switchDimensions(this.model, d);
            this.changed(true);
          });
          break;
        }
        controller = add(parent, key, c.options).onFinishChange(() => this.changed(shared));
        break;
      case 'number':
        // Bounds and step where the schema states them (with both bounds, a slider).
        controller = add(parent, key, c.min, c.max, c.step).onFinishChange(() => this.changed(shared));
        break;
      default:
        controller = add(parent, key).onFinishChange(() => this.changed());
    }
    controller.name(c.label);
    controller.domElement.dataset.path = c.id;
    controller.domElement.dataset.kind = c.kind;
  }
}
