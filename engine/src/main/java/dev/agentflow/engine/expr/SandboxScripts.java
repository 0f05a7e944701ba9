package dev.agentflow.engine.expr;

import java.util.List;

/**
 * The JavaScript the sandbox runs in every context it builds: the prelude that removes and freezes
 * globals and ties {@code Math.random} and {@code Date} to the workflow, and the invoker that calls
 * a compiled expression with its scope. Kept apart from {@link ExpressionSandbox} so the sandbox
 * reads as Java and the scripts as scripts.
 */
final class SandboxScripts {

  /** Globals that are absent on purpose; a reference to one is {@link ExpressionException.Kind#FORBIDDEN}. */
  static final List<String> FORBIDDEN_GLOBALS =
      List.of(
          "Java", "Polyglot", "Packages", "java", "javax", "load", "loadWithNewGlobal", "print",
          "printErr", "console", "quit", "exit", "readFully", "read", "readline", "readbuffer",
          "Graal", "Intl", "WeakRef", "FinalizationRegistry", "performance", "require", "process",
          "fetch", "setTimeout", "setInterval", "queueMicrotask");

  /**
   * Also absent from the strict sandbox ({@link SandboxLimits#strict()}): promises (whose jobs run
   * after the value is taken, bounded only by the wall clock) and binary buffers (allocations of
   * any size in one call). No expression over JSON needs them.
   */
  static final List<String> STRICT_FORBIDDEN_GLOBALS =
      List.of(
          "Promise", "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "WebAssembly", "BigInt",
          "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
          "Uint32Array", "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array");

  /** Every global a reference to which is reported as forbidden. */
  static boolean isForbidden(String name) {
    return FORBIDDEN_GLOBALS.contains(name) || STRICT_FORBIDDEN_GLOBALS.contains(name);
  }

  /**
   * Installs the allocation guards of the strict sandbox, before the prelude freezes everything:
   * every builtin that makes or walks an array or object of a size given at run time checks that
   * size first and throws a {@code RangeError} starting with {@link #LIMIT_MESSAGE} above it.
   * Strings need no guard here: the engine's string length limit refuses them before allocating.
   */
  static final String GUARDS =
      """
      (function (maxArray, maxProps) {
        'use strict';
        const apply = Reflect.apply;
        const construct = Reflect.construct;
        const ownKeys = Reflect.ownKeys;
        const defineProperty = Object.defineProperty;
        const OriginalArray = Array;
        const isArray = Array.isArray;
        const arrayProto = Array.prototype;
        const originalMap = arrayProto.map;
        const originalFlat = arrayProto.flat;
        const lengthOf = function (o) {
          if (o === null || o === undefined) { return 0; }
          const n = +o.length;
          return n > 0 ? n : 0;
        };
        const sizeOf = function (o) {
          return typeof o === 'string' || isArray(o) ? o.length : 0;
        };
        const refuse = function (what, n, max) {
          throw new RangeError('expressions may not make or walk more than ' + max
              + ' elements in one operation (' + what + ': ' + n + ')');
        };
        const check = function (what, n, max) {
          if (n > max) { refuse(what, n, max); }
        };
        const limitOf = function (o) { return isArray(o) ? maxArray : maxProps; };
        const wrap = function (target, key, label, guard) {
          const original = target[key];
          const name = typeof key === 'symbol' ? '[' + key.description + ']' : key;
          const wrapped = {[name](...args) {
            guard(this, args, label);
            return apply(original, this, args);
          }}[name];
          defineProperty(target, key, {value: wrapped, writable: true, configurable: true, enumerable: false});
        };
        const flatCount = function (source, depth, budget) {
          let n = 0;
          const length = lengthOf(source);
          for (let k = 0; k < length && n <= budget; k++) {
            const item = source[k];
            if (depth >= 1 && isArray(item)) {
              const m = lengthOf(item);
              n += (depth > 1 && n + m <= budget) ? flatCount(item, depth - 1, budget - n) : m;
            } else {
              n++;
            }
          }
          return n;
        };
        const ownLength = function (self, args, label) { check(label, lengthOf(self), limitOf(self)); };
        const special = {
          concat(self, args, label) {
            let n = lengthOf(self);
            for (let k = 0; k < args.length; k++) {
              const arg = args[k];
              n += (isArray(arg) || (arg !== null && typeof arg === 'object' && arg[Symbol.isConcatSpreadable]))
                  ? lengthOf(arg) : 1;
            }
            check(label, n, maxArray);
          },
          push(self, args, label) { check(label, lengthOf(self) + args.length, limitOf(self)); },
          unshift(self, args, label) { check(label, lengthOf(self) + args.length, limitOf(self)); },
          splice(self, args, label) {
            check(label, lengthOf(self) + (args.length > 2 ? args.length - 2 : 0), limitOf(self));
          },
          flat(self, args, label) {
            ownLength(self, args, label);
            const depth = args[0] === undefined ? 1 : Math.trunc(+args[0]) || 0;
            check(label, flatCount(self, depth, maxArray), maxArray);
          }
        };
        for (const key of ownKeys(arrayProto)) {
          const value = arrayProto[key];
          if (key === 'constructor' || typeof value !== 'function') { continue; }
          if (key === 'flatMap') { continue; }
          const label = 'Array.prototype.' + (typeof key === 'symbol' ? '[' + key.description + ']' : key);
          wrap(arrayProto, key, label, special[key] || ownLength);
        }
        defineProperty(arrayProto, 'flatMap', {writable: true, configurable: true, enumerable: false,
          value: {flatMap(...args) {
            ownLength(this, args, 'Array.prototype.flatMap');
            const mapped = apply(originalMap, this, args);
            check('Array.prototype.flatMap', flatCount(mapped, 1, maxArray), maxArray);
            return apply(originalFlat, mapped, [1]);
          }}.flatMap});

        const from = OriginalArray.from;
        const GuardedArray = function Array(...args) {
          if (args.length === 1 && typeof args[0] === 'number') { check('new Array', args[0], maxArray); }
          return construct(OriginalArray, args, new.target === undefined ? OriginalArray : new.target);
        };
        GuardedArray.prototype = arrayProto;
        GuardedArray.isArray = isArray;
        GuardedArray.of = OriginalArray.of;
        GuardedArray.from = {from(source, mapFn, thisArg) {
          if (source !== null && source !== undefined && typeof source[Symbol.iterator] !== 'function') {
            check('Array.from', lengthOf(source), maxArray);
          }
          return apply(from, this === GuardedArray ? OriginalArray : this, [source, mapFn, thisArg]);
        }}.from;
        defineProperty(arrayProto, 'constructor', {value: GuardedArray, writable: true, configurable: true});
        defineProperty(globalThis, 'Array', {value: GuardedArray, writable: true, configurable: true});

        const stringProto = String.prototype;
        const regexpProto = RegExp.prototype;
        const splitGuard = function (original) {
          return function (separatorOrString, limit) {
            const cap = limit === undefined ? maxArray + 1 : Math.min(limit >>> 0, maxArray + 1);
            const result = apply(original, this, [separatorOrString, cap]);
            check('split', result.length, maxArray);
            return result;
          };
        };
        const stringSplit = stringProto.split;
        defineProperty(stringProto, 'split', {value: {split(separator, limit) {
          return apply(splitGuard(stringSplit), this, [separator, limit]);
        }}.split, writable: true, configurable: true});
        const regexpSplit = regexpProto[Symbol.split];
        defineProperty(regexpProto, Symbol.split, {value: {'[Symbol.split]'(string, limit) {
          return apply(splitGuard(regexpSplit), this, [string, limit]);
        }}['[Symbol.split]'], writable: true, configurable: true});
        const globalOn = function (regexp) {
          return regexp !== null && typeof regexp === 'object' && String(regexp.flags).includes('g');
        };
        wrap(stringProto, 'match', 'String.prototype.match', function (self, args, label) {
          if (globalOn(args[0])) { check(label, String(self).length, maxArray); }
        });
        wrap(stringProto, 'matchAll', 'String.prototype.matchAll', function (self, args, label) {
          check(label, String(self).length, maxArray);
        });
        wrap(stringProto, Symbol.iterator, 'String.prototype[Symbol.iterator]', function (self, args, label) {
          check(label, String(self).length, maxArray);
        });
        wrap(regexpProto, Symbol.match, 'RegExp.prototype[Symbol.match]', function (self, args, label) {
          if (globalOn(self)) { check(label, String(args[0]).length, maxArray); }
        });
        wrap(regexpProto, Symbol.matchAll, 'RegExp.prototype[Symbol.matchAll]', function (self, args, label) {
          check(label, String(args[0]).length, maxArray);
        });

        const objectSize = function (label, index) {
          return function (self, args) { check(label, sizeOf(args[index]), maxProps); };
        };
        for (const name of ['keys', 'values', 'entries', 'getOwnPropertyNames', 'getOwnPropertyDescriptors',
            'freeze', 'seal', 'fromEntries', 'defineProperties']) {
          wrap(Object, name, 'Object.' + name, objectSize('Object.' + name, name === 'defineProperties' ? 1 : 0));
        }
        wrap(Object, 'assign', 'Object.assign', function (self, args, label) {
          let n = 0;
          for (let k = 1; k < args.length; k++) { n += sizeOf(args[k]); }
          check(label, n, maxProps);
        });
      })
      """;

  /** How every message of a guard above starts: such a RangeError is a deterministic limit. */
  static final String LIMIT_MESSAGE = "expressions may not make or walk more than";

  /**
   * Runs once per context: ties randomness and time to the suppliers, removes what expressions
   * must not reach and freezes the globals.
   */
  static final String PRELUDE =
      """
      (function (nextRandom, nowMillis, forbiddenNames) {
        'use strict';
        const OriginalDate = Date;
        const construct = Reflect.construct;
        const dateToString = OriginalDate.prototype.toString;
        Object.defineProperty(Math, 'random', {
          value: function random() { return nextRandom(); }, writable: true, configurable: true
        });
        const DeterministicDate = function Date(...args) {
          if (new.target === undefined) {
            return dateToString.call(new OriginalDate(nowMillis()));
          }
          return construct(OriginalDate, args.length === 0 ? [nowMillis()] : args, new.target);
        };
        Object.defineProperty(DeterministicDate, 'length', {value: 7});
        DeterministicDate.prototype = OriginalDate.prototype;
        Object.defineProperty(OriginalDate.prototype, 'constructor', {
          value: DeterministicDate, writable: true, configurable: true
        });
        DeterministicDate.now = function now() { return nowMillis(); };
        DeterministicDate.parse = OriginalDate.parse;
        DeterministicDate.UTC = OriginalDate.UTC;
        Object.defineProperty(globalThis, 'Date', {
          value: DeterministicDate, writable: true, configurable: true
        });
        for (const name of forbiddenNames.split(',')) {
          delete globalThis[name];
        }
        const freeze = Object.freeze;
        for (const name of Reflect.ownKeys(globalThis)) {
          const value = globalThis[name];
          if ((typeof value === 'object' || typeof value === 'function') && value !== null) {
            freeze(value);
            if (typeof value === 'function' && typeof value.prototype === 'object') {
              freeze(value.prototype);
            }
          }
        }
        freeze(Object.getPrototypeOf(function* () {}));
        freeze(Object.getPrototypeOf([][Symbol.iterator]()));
        freeze(globalThis);
      })
      """;

  /**
   * Calls a compiled expression with the scope parsed from JSON text and turns the result into
   * JSON text (mode 0), a boolean (mode 1) or display text (mode 2). Returns the length instead of
   * text longer than the cap, so a huge string never crosses into Java.
   */
  static final String INVOKER =
      """
      (function (parse, stringify, toText) {
        'use strict';
        function arg(json) { return json === null ? null : parse(json); }
        function noJson(value) {
          return new TypeError(
              'the expression returned a ' + typeof value + ', which has no JSON value');
        }
        return function invoke(
            fn, mode, cap, input, nodes, vars, visits, usage, run, output, item, index, review) {
          const value = fn(arg(input), arg(nodes), arg(vars), arg(visits), arg(usage), arg(run),
              arg(output), arg(item), arg(index), arg(review));
          if (mode === 1) {
            return !!value;
          }
          const type = typeof value;
          let text;
          if (mode === 2 && type === 'string') {
            text = value;
          } else if (mode === 2 && (value === null || value === undefined)) {
            text = '';
          } else if (mode === 2 && (type === 'number' || type === 'boolean' || type === 'bigint')) {
            text = toText(value);
          } else if (type === 'function' || type === 'symbol') {
            throw noJson(value);
          } else {
            text = stringify(value);
            if (text === undefined) {
              text = mode === 2 ? '' : 'null';
            }
          }
          return text.length > cap ? text.length : text;
        };
      })(JSON.parse, JSON.stringify, String)
      """;

  private SandboxScripts() {}
}
