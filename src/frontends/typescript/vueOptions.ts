/**
 * A Vue Options-API component (`export default { data() { return { depth: 10 } }, methods: { build() { … } },
 * mounted() { this.build(); } }`): Vue runs its methods and hooks with `this` the component instance, which
 * holds what `data()` returns and the methods (vuejs/core `componentOptions.ts` applyOptions). Their `this` is
 * made that instance; what else Vue puts there (props, computed, `$refs`) stays unknown.
 */
import type { Evaluator } from './state';
import type { ObjectValue, Value } from './values';

/** Options whose functions Vue calls with the instance as `this` (Vue 2 and 3 lifecycle hooks). */
const HOOKS = new Set([
  'beforeCreate', 'created', 'beforeMount', 'mounted', 'beforeUpdate', 'updated', 'activated', 'deactivated',
  'beforeDestroy', 'destroyed', 'beforeUnmount', 'unmounted',
]);

/** Gives an object literal's methods and hooks the component instance as `this` when it is a Vue component. */
export function bindVueInstance(ev: Evaluator, options: ObjectValue): void {
  const methods = options.props.get('methods')?.value;
  const data = options.props.get('data')?.value;
  const hooks = [...options.props].filter(([key, slot]) => HOOKS.has(key) && slot.value.kind === 'function');
  if (methods?.kind !== 'object' && data?.kind !== 'function') return;
  if (methods?.kind !== 'object' && hooks.length === 0) return;
  const instance: ObjectValue = { kind: 'object', props: new Map(), complete: false };
  const bound: Value[] = [...hooks.map(([, slot]) => slot.value), ...(methods?.kind === 'object' ? [...methods.props.values()].map((slot) => slot.value) : [])];
  if (data?.kind === 'function') {
    data.closure.thisValue = instance;
    const state = ev.invoke(data.closure, []);
    if (state.kind === 'object') for (const [key, slot] of state.props) instance.props.set(key, slot);
  }
  if (methods?.kind === 'object') for (const [key, slot] of methods.props) instance.props.set(key, slot);
  for (const value of bound) if (value.kind === 'function') value.closure.thisValue = instance;
}
