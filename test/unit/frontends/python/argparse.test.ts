/**
 * Scripts size their models from command-line options. The default each option declares is what the script
 * runs with when the option is not given: it is read, and marked assumed (never presented as written).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelsOf, widths } from './extract';

const script = (options: string, read = 'args = parser.parse_args()') => `import argparse
import keras
from keras import layers

parser = argparse.ArgumentParser(description="train a classifier")
${options}
${read}
model = keras.Sequential([keras.Input(shape=(32,)), layers.Dense(args.hidden_size), layers.Dense(args.latent_dim), layers.Dense(10)])
`;

test('an option\'s default is the width read, marked assumed: --hidden-size becomes args.hidden_size, dest= renames', () => {
  const [model] = modelsOf(script(`parser.add_argument("--hidden-size", "-H", type=int, default=256)
group = parser.add_argument_group("model")
group.add_argument("--latent", dest="latent_dim", type=int, default=64)`));
  assert.deepEqual(widths(model), [256, 64, 10]);
  const units = model.layers.map((layer) => layer.call.positional[0]?.value);
  assert.deepEqual(units.map((value) => value?.kind === 'number' && value.assumed === true), [true, true, false], 'the defaults are assumed, the written 10 is not');
});

test('an option without a default, and a required positional, stay unknown', () => {
  const [model] = modelsOf(script(`parser.add_argument("hidden_size", type=int)
parser.add_argument("--latent-dim", type=int)`));
  assert.deepEqual(widths(model), ['?', '?', 10]);
});

test('set_defaults, parse_known_args and vars() read the same defaults', () => {
  const [known] = modelsOf(script(`parser.add_argument("--hidden-size", type=int, default=128)
parser.set_defaults(latent_dim=16)`, 'args, rest = parser.parse_known_args()'));
  assert.deepEqual(widths(known), [128, 16, 10]);
  const [asDict] = modelsOf(`import argparse
import keras
from keras import layers
parser = argparse.ArgumentParser()
parser.add_argument("--units", type=int, default=48)
config = vars(parser.parse_args())
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(config["units"])])
`);
  assert.deepEqual(widths(asDict), [48]);
});

test('a builder also run alone with unknown arguments is one model: the build that knows the options', () => {
  const models = modelsOf(`import argparse
import keras
from keras import layers

parser = argparse.ArgumentParser()
parser.add_argument("--hidden", type=int, default=64)
args = parser.parse_args()

def build_actor(hidden):
    return keras.Sequential([keras.Input(shape=(8,)), layers.Dense(hidden, activation="tanh"), layers.Dense(4)], name="actor")

actor = build_actor(args.hidden)

def finetune(hidden):
    return build_actor(hidden)
`);
  // finetune is called by nobody, so it is read alone with \`hidden\` unknown: the same actor, seen less well.
  assert.deepEqual(models.map((model) => [model.name, widths(model)]), [['actor', [64, 4]]]);
});
