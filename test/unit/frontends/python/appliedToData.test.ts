/**
 * Layers and models applied to data the graph does not make (a constructor argument built with `tf.cast`, a
 * parameter we cannot see): whatever a layer or a model is applied to is a tensor, so the data is a model input
 * and what is applied to it is read (real-code audit: keras.io gnn_citations' GNNNodeClassifier).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_INPUT } from '../../../../src/core/ir';
import { callees, model, widths } from './extract';

test('a subclassed model whose call starts from data held on self (a GNN) reads every layer applied to it', () => {
  const code = `import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

def create_ffn(hidden_units, name=None):
    fnn_layers = []
    for units in hidden_units:
        fnn_layers.append(layers.BatchNormalization())
        fnn_layers.append(layers.Dense(units, activation=tf.nn.gelu))
    return keras.Sequential(fnn_layers, name=name)

class NodeClassifier(tf.keras.Model):
    def __init__(self, graph_info, hidden_units, num_classes):
        super().__init__()
        node_features, edges = graph_info
        self.node_features = node_features
        self.preprocess = create_ffn(hidden_units, name="preprocess")
        self.postprocess = create_ffn(hidden_units, name="postprocess")
        self.compute_logits = layers.Dense(units=num_classes)

    def call(self, input_node_indices):
        x = self.preprocess(self.node_features)
        x = self.postprocess(x)
        node_embeddings = tf.gather(x, input_node_indices)
        return self.compute_logits(node_embeddings)

node_features = tf.cast(papers[feature_names].to_numpy(), dtype=tf.dtypes.float32)
edges = tf.zeros((2, 5429), dtype=tf.int32)
gnn_model = NodeClassifier(graph_info=(node_features, edges), hidden_units=[32, 32], num_classes=7)
`;
  const net = model(code, 'NodeClassifier');
  const dense = 'tensorflow.keras.layers.Dense';
  const norm = 'tensorflow.keras.layers.BatchNormalization';
  assert.deepEqual(callees(net), [norm, dense, norm, dense, norm, dense, norm, dense, 'tensorflow.gather', dense]);
  // The data is a model input of its own; the gather also takes the call's argument, the indices.
  const [features] = net.layers[0].inputs;
  assert.ok(features < 0, 'the first layer is applied to a model input');
  assert.deepEqual(net.layers.slice(1).map((layer) => layer.inputs), [[0], [1], [2], [3], [4], [5], [6], [7, MODEL_INPUT], [8]]);
  assert.equal(widths(net)[9], 7);
});

test('a Sequential applied to a parameter we cannot see is applied to a model input, as a layer is', () => {
  const code = `import keras
from keras import layers

head = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(64, activation="relu")])

class Wrapper(keras.Model):
    def __init__(self, features):
        super().__init__()
        self.features = features
        self.head = head
        self.out = layers.Dense(2)

    def call(self, inputs):
        return self.out(self.head(self.features) + inputs)
`;
  const net = model(code, 'Wrapper');
  assert.deepEqual(widths(net), [64, 64, '?', 2]);
  assert.deepEqual(net.layers.map((layer) => layer.inputs.length), [1, 1, 2, 1]);
});

test('a layer applied to a layer object is not given an input: only data is', () => {
  const code = `import keras
from keras import layers

inputs = keras.Input(shape=(8,))
x = layers.Dense(16, activation="relu")(inputs)
broken = layers.Dense(4)(layers.Dense(8))
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
`;
  assert.deepEqual(widths(model(code, 'model')), [16, 1]);
});
