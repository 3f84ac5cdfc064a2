/** Panel models for the webview's unit tests, from Keras source through the project's analysis. */
import { DEFAULT_CONFIG } from '../../src/core/config';
import { buildReport } from '../../src/core/report';
import type { PanelModel } from '../../src/protocol/panel';
import { analyzeSource } from '../../src/project/analyzeSource';

/** A Keras MLP on 64 inputs: one Dense line per `[units, activation, initializer]`. */
export function kerasMlp(layers: [number, string, string][]): string {
  return [
    'import keras',
    'from keras import layers',
    '',
    'mlp = keras.Sequential([',
    '    keras.Input(shape=(64,)),',
    ...layers.map(([units, activation, initializer]) => `    layers.Dense(${units}, activation="${activation}", kernel_initializer="${initializer}"),`),
    '])',
    '',
  ].join('\n');
}

/** The panel model of `source`'s first model; `recommended`: the source with the fixes applied, by hand. */
export function panelOf(source: string, recommended?: { source: string; fixCount: number }): PanelModel {
  const analysis = analyzeSource(source, 'mlp.py', DEFAULT_CONFIG);
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const fixed = recommended && analyzeSource(recommended.source, 'mlp.py', DEFAULT_CONFIG);
  return {
    key: { uri: 'file:///workspace/mlp.py', modelIndex: 0, modelName: 'mlp' },
    shownPath: 'mlp.py',
    model: analysis.models[0].model,
    report: buildReport(analysis)[0],
    layerLines: analysis.models[0].model.layers.map((layer) => lineOf(layer.call.span.start)),
    ...(fixed && recommended && { recommended: { model: fixed.models[0].model, report: buildReport(fixed)[0], fixCount: recommended.fixCount } }),
    threshold: DEFAULT_CONFIG.threshold,
  };
}
