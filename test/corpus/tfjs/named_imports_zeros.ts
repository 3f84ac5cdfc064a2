import { layers, sequential } from '@tensorflow/tfjs';

export const model = sequential({
  layers: [
    layers.dense({ units: 32, inputShape: [16], activation: 'relu', kernelInitializer: 'heUniform' }),
    layers.dense({ units: 32, activation: 'relu', kernelInitializer: 'zeros' }), // expect: symmetric-init
    layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'zeros' }),
  ],
});
