import { describe, expect, it } from 'vitest';
import { StartupLog } from '../../demos/src/startup-log.js';

describe('the start-up status', () => {
  it('gives each stage the seconds it took, the running one so far, and the total once done', () => {
    let t = 0;
    const log = new StartupLog(() => t);
    log.begin('requesting the adapter');
    t = 120;
    log.stage('checking the config');
    t = 130;
    log.stage('choosing the convolution');
    t = 2130;
    expect(log.text()).toBe('requesting the adapter 0.12 s · checking the config 0.01 s · choosing the convolution 2.00 s…');
    expect(log.current).toBe('choosing the convolution');
    expect(log.done).toBe(false);
    t = 14_130;
    log.stage('first frame');
    t = 14_630;
    log.finish();
    t = 99_999;
    expect(log.text()).toBe('requesting the adapter 0.12 s · checking the config 0.01 s · choosing the convolution 14.0 s · first frame 0.50 s — 14.6 s in all');
    expect(log.done).toBe(true);
    expect(log.seconds).toBeCloseTo(14.63, 12);
  });

  it('starts afresh for the next config', () => {
    let t = 1000;
    const log = new StartupLog(() => t);
    log.begin('a');
    log.finish();
    t = 5000;
    log.begin('checking the config');
    t = 5500;
    expect(log.all.map((s) => s.label)).toEqual(['checking the config']);
    expect(log.text()).toBe('checking the config 0.50 s…');
  });
});
