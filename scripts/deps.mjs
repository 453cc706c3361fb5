// `npm run deps`: the layer rules of .dependency-cruiser.cjs over src/, demos/src and bench/,
// through dependency-cruiser's API as test/layers.test.ts runs them. Its command line
// validates the config against a schema that lacks `extensionAlias` (which maps
// `./observe.wgsl.js` to the generated `observe.wgsl.ts`, as tsc does) and refuses it.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const result = await cruise(['src', 'demos/src', 'bench'], { ...options, outputType: 'err' }, {}, { tsConfig: extractTSConfig('tsconfig.json') });
process.stdout.write(String(result.output));
process.exitCode = result.exitCode;
