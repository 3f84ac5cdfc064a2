# Store-item sales forecasting: 28 days of history per (store, item), calendar and price features, and
# categorical embeddings, fed to a three-input Keras model; 5-fold cross-validation grouped by store, out-of-fold
# RMSLE, and a test prediction averaged over the folds.
import csv
import datetime as dt
import gc
import math
import os
from collections import defaultdict

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

DATA = "input/store-sales"
OUT = "working"
WINDOW = 28
HORIZON = 1
N_FOLDS = 5
EPOCHS = 40
BATCH = 1024
SEED = 13

os.makedirs(OUT, exist_ok=True)
np.random.seed(SEED)
tf.random.set_seed(SEED)


def read_csv(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        return [row for row in reader]


def to_float(value, default=np.nan):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- load and clean
train_rows = read_csv(os.path.join(DATA, "train.csv"))
stores = read_csv(os.path.join(DATA, "stores.csv"))
oil = read_csv(os.path.join(DATA, "oil.csv"))
holidays = read_csv(os.path.join(DATA, "holidays_events.csv"))
print(f"train rows: {len(train_rows):,}")

# oil price has gaps on weekends: forward-fill, then back-fill the first days
oil_price = {}
last = np.nan
for row in sorted(oil, key=lambda r: r["date"]):
    price = to_float(row["dcoilwtico"])
    if not math.isnan(price):
        last = price
    oil_price[row["date"]] = last
first_valid = next(v for v in oil_price.values() if not math.isnan(v))
oil_price = {d: (first_valid if math.isnan(v) else v) for d, v in oil_price.items()}

national_holidays = {r["date"] for r in holidays if r["locale"] == "National" and r["transferred"] == "False"}
store_info = {int(r["store_nbr"]): r for r in stores}

# label-encode the categorical columns (0 is kept for unseen values)
def encoder(values):
    mapping = {v: i + 1 for i, v in enumerate(sorted(set(values)))}
    return mapping, len(mapping) + 1

family_ids, n_families = encoder(r["family"] for r in train_rows)
city_ids, n_cities = encoder(r["city"] for r in stores)
type_ids, n_types = encoder(r["type"] for r in stores)
n_stores = max(store_info) + 1

# ---------------------------------------------------------------- series per (store, family)
series = defaultdict(dict)
promo = defaultdict(dict)
for row in train_rows:
    key = (int(row["store_nbr"]), row["family"])
    series[key][row["date"]] = to_float(row["sales"], 0.0)
    promo[key][row["date"]] = to_float(row["onpromotion"], 0.0)
dates = sorted({row["date"] for row in train_rows})
del train_rows
gc.collect()
print(f"{len(series)} series over {len(dates)} days ({dates[0]} .. {dates[-1]})")


def calendar_features(date):
    d = dt.date.fromisoformat(date)
    return [
        math.sin(2 * math.pi * d.weekday() / 7), math.cos(2 * math.pi * d.weekday() / 7),
        math.sin(2 * math.pi * d.month / 12), math.cos(2 * math.pi * d.month / 12),
        1.0 if d.day in (15, 30, 31) else 0.0,  # paydays
        1.0 if date in national_holidays else 0.0,
        oil_price.get(date, first_valid) / 100.0,
    ]


def make_samples(day_indices):
    hist, tab, cats, targets, groups = [], [], [], [], []
    for (store, family), values in series.items():
        info = store_info[store]
        sales = np.log1p(np.array([values.get(d, 0.0) for d in dates], dtype=np.float32))
        promos = np.array([promo[(store, family)].get(d, 0.0) for d in dates], dtype=np.float32)
        for t in day_indices:
            if t < WINDOW:
                continue
            window = sales[t - WINDOW:t]
            if window.sum() == 0:
                continue  # the item was not sold yet in this store
            hist.append(np.stack([window, np.log1p(promos[t - WINDOW:t])], axis=-1))
            tab.append(calendar_features(dates[t]) + [np.log1p(promos[t]), window[-7:].mean(), window.std()])
            cats.append([store, family_ids.get(family, 0), city_ids[info["city"]], type_ids[info["type"]], int(info["cluster"])])
            targets.append(sales[t])
            groups.append(store)
    return (np.array(hist), np.array(tab, dtype=np.float32), np.array(cats, dtype=np.int32),
            np.array(targets, dtype=np.float32), np.array(groups))


# one training sample every 7 days over the last two years; the last 16 days are the holdout
train_days = list(range(len(dates) - 730, len(dates) - 16, 7))
test_days = list(range(len(dates) - 16, len(dates)))
X_hist, X_tab, X_cat, y, groups = make_samples(train_days)
T_hist, T_tab, T_cat, T_y, _ = make_samples(test_days)
print("train", X_hist.shape, X_tab.shape, X_cat.shape, "test", T_hist.shape)

# standardize the tabular block with training statistics only
tab_mean = X_tab.mean(axis=0)
tab_std = X_tab.std(axis=0) + 1e-6
X_tab = (X_tab - tab_mean) / tab_std
T_tab = (T_tab - tab_mean) / tab_std
print("target mean/std (log1p):", y.mean(), y.std())

# ---------------------------------------------------------------- model
CAT_SIZES = [n_stores, n_families, n_cities, n_types, 18]
CAT_DIMS = [8, 8, 4, 2, 4]


def build_model(n_tab, lr=2e-3):
    hist_in = keras.Input(shape=(WINDOW, 2), name="history")
    tab_in = keras.Input(shape=(n_tab,), name="tabular")
    cat_in = keras.Input(shape=(len(CAT_SIZES),), dtype="int32", name="categorical")

    h = layers.Conv1D(32, 3, padding="causal", activation="relu")(hist_in)
    h = layers.Conv1D(32, 3, padding="causal", dilation_rate=2, activation="relu")(h)
    h = layers.GRU(32)(h)

    embedded = []
    for i, (size, dim) in enumerate(zip(CAT_SIZES, CAT_DIMS)):
        column = layers.Lambda(lambda c, i=i: c[:, i])(cat_in)
        embedded.append(layers.Embedding(size, dim)(column))
    e = layers.Concatenate()(embedded)

    t = layers.Dense(32, activation="relu")(tab_in)

    x = layers.Concatenate()([h, e, t])
    x = layers.Dense(128, activation="relu")(x)
    x = layers.BatchNormalization()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    out = layers.Dense(1)(x)

    model = keras.Model([hist_in, tab_in, cat_in], out)
    model.compile(optimizer=keras.optimizers.Adam(lr), loss="mse", metrics=[keras.metrics.RootMeanSquaredError(name="rmse")])
    return model


build_model(X_tab.shape[1]).summary()

# ---------------------------------------------------------------- grouped K-fold by store
unique_stores = np.unique(groups)
rng = np.random.default_rng(SEED)
rng.shuffle(unique_stores)
store_fold = {s: i % N_FOLDS for i, s in enumerate(unique_stores)}
fold_of = np.array([store_fold[g] for g in groups])

oof = np.zeros_like(y)
test_pred = np.zeros(len(T_y), dtype=np.float32)
histories = []
for fold in range(N_FOLDS):
    tr = np.where(fold_of != fold)[0]
    va = np.where(fold_of == fold)[0]
    print(f"\n===== fold {fold + 1}/{N_FOLDS}: {len(tr):,} train / {len(va):,} valid")
    keras.backend.clear_session()
    model = build_model(X_tab.shape[1])
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_rmse", patience=5, restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau(monitor="val_rmse", factor=0.3, patience=2, verbose=1),
        keras.callbacks.ModelCheckpoint(os.path.join(OUT, f"fold{fold}.keras"), monitor="val_rmse", save_best_only=True),
    ]
    history = model.fit(
        [X_hist[tr], X_tab[tr], X_cat[tr]], y[tr],
        validation_data=([X_hist[va], X_tab[va], X_cat[va]], y[va]),
        epochs=EPOCHS, batch_size=BATCH, callbacks=callbacks, verbose=2,
    )
    histories.append(history.history)
    oof[va] = model.predict([X_hist[va], X_tab[va], X_cat[va]], batch_size=4096).ravel()
    test_pred += model.predict([T_hist, T_tab, T_cat], batch_size=4096).ravel() / N_FOLDS
    fold_rmsle = np.sqrt(np.mean((oof[va] - y[va]) ** 2))
    print(f"fold {fold + 1} RMSLE {fold_rmsle:.4f} (best epoch {int(np.argmin(history.history['val_rmse'])) + 1})")
    del model
    gc.collect()

oof_rmsle = np.sqrt(np.mean((np.clip(oof, 0, None) - y) ** 2))
test_rmsle = np.sqrt(np.mean((np.clip(test_pred, 0, None) - T_y) ** 2))
naive = np.sqrt(np.mean((T_hist[:, -1, 0] - T_y) ** 2))
print(f"\nOOF RMSLE {oof_rmsle:.4f} | holdout RMSLE {test_rmsle:.4f} | last-value baseline {naive:.4f}")

# per-family error, worst first
family_names = {v: k for k, v in family_ids.items()}
errors = defaultdict(list)
for fam, pred, true in zip(T_cat[:, 1], test_pred, T_y):
    errors[family_names.get(fam, "?")].append((pred - true) ** 2)
for name, sq in sorted(errors.items(), key=lambda kv: -np.mean(kv[1]))[:10]:
    print(f"  {name:<30} {np.sqrt(np.mean(sq)):.4f}  (n={len(sq)})")

with open(os.path.join(OUT, "holdout_predictions.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["store", "family", "pred_sales", "true_sales"])
    for cat, pred, true in zip(T_cat, test_pred, T_y):
        writer.writerow([cat[0], family_names.get(cat[1], "?"), float(np.expm1(max(pred, 0))), float(np.expm1(true))])
print("saved", os.path.join(OUT, "holdout_predictions.csv"))
