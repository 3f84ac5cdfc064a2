import keras
from keras import layers, initializers

model = keras.Sequential([keras.Input(shape=(1024,))])
for _ in range(10):
    model.add(layers.Dense(1024, activation="relu",
                           kernel_initializer=initializers.RandomNormal(stddev=0.01)))  # expect: fixed-scale-init
model.add(layers.Dense(10))
