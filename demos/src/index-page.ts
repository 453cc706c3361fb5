import { presetNames } from '../../src/config/presets.js';
import { presetAvailability } from './preset-links.js';

/**
 * The front page lists presets that show the physics; one that this build's
 * src/config/presets.ts does not have yet is shown without its link, and a
 * preset the page does not list is added under "more presets".
 */
const items = Array.from(document.querySelectorAll<HTMLElement>('[data-preset]'));
const { missing, unlisted } = presetAvailability(
  items.map((li) => li.dataset.preset!),
  presetNames,
  Array.from(document.querySelectorAll<HTMLAnchorElement>('#more-presets a')).map((a) => new URL(a.href).searchParams.get('preset') ?? ''),
);
for (const li of items) {
  const absent = missing.includes(li.dataset.preset!);
  li.dataset.available = String(!absent);
  if (!absent) continue;
  li.classList.add('missing');
  const link = li.querySelector('a');
  if (link) {
    const name = document.createElement('strong');
    name.textContent = link.textContent;
    link.replaceWith(name);
  }
  li.append(' (not in this build yet)');
}
const more = document.getElementById('more-presets');
for (const name of unlisted) {
  const a = document.createElement('a');
  a.href = `./main.html?preset=${encodeURIComponent(name)}`;
  a.textContent = name;
  more?.append(', ', a);
}
