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
