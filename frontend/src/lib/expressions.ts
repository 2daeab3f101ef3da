/**
 * Skip logic of questionnaires, evaluated in the browser with the same grammar and semantics as the surveys
 * service (fne_surveys/questionnaires/expressions.py): a question hidden here is one the service will not ask.
 * Unanswered questions read as empty: `${q} = ''` tests "not answered"; a comparison with an empty operand is
 * false, except equality with the empty string. Never `eval`: a closed grammar that can only read answers.
 */

type Node =
  | { kind: "literal"; value: unknown }
  | { kind: "reference"; key: string }
  | { kind: "current" }
  | { kind: "call"; name: string; args: Node[] }
  | { kind: "op"; operator: string; left: Node; right: Node };

interface Token {
  kind: "number" | "string" | "reference" | "operator" | "name" | "current";
  text: string;
}

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?)|('[^']*'|"[^"]*")|\$\{([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\}|(<=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)|([a-z][a-z-]*)|(\.))/y;
const KINDS: Token["kind"][] = ["number", "string", "reference", "operator", "name", "current"];
const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">="]);
const FUNCTIONS: Record<string, number> = { not: 1, selected: 2, "count-selected": 1, "string-length": 1 };
const LEVELS: string[][] = [["or"], ["and"], [...COMPARISONS], ["+", "-"], ["*", "div", "mod"]];

export class ExpressionError extends Error {}

function tokens(source: string): Token[] {
  const found: Token[] = [];
  const text = source.trimEnd();
  let position = 0;
  while (position < text.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(text);
    if (!match || match[0].length === 0)
      throw new ExpressionError(`caractère inattendu à la position ${position + 1}`);
    const group = match.slice(1).findIndex((value) => value !== undefined);
    found.push({ kind: KINDS[group], text: match[group + 1] });
    position = TOKEN.lastIndex;
  }
  return found;
}

function parse(source: string): Node {
  const list = tokens(source);
  let index = 0;
  const take = (text?: string): Token => {
    const token = list[index];
    if (!token || (text !== undefined && token.text !== text))
      throw new ExpressionError(`« ${text ?? "?"} » attendu`);
    index += 1;
    return token;
  };
  const accept = (texts: string[]): string | null => {
    const token = list[index];
    if (token && (token.kind === "operator" || token.kind === "name") && texts.includes(token.text)) {
      index += 1;
      return token.text;
    }
    return null;
  };
  const binary = (level: number): Node => {
    if (level === LEVELS.length) return unary();
    let node = binary(level + 1);
    let operator: string | null;
    while ((operator = accept(LEVELS[level])) !== null) {
      node = { kind: "op", operator, left: node, right: binary(level + 1) };
      if (COMPARISONS.has(operator)) break; // comparisons do not chain
    }
    return node;
  };
  const unary = (): Node =>
    accept(["-"])
      ? { kind: "op", operator: "-", left: { kind: "literal", value: 0 }, right: unary() }
      : atom();
  const atom = (): Node => {
    const token = take();
    if (token.kind === "number") return { kind: "literal", value: Number(token.text) };
    if (token.kind === "string") return { kind: "literal", value: token.text.slice(1, -1) };
    if (token.kind === "reference") return { kind: "reference", key: token.text };
    if (token.kind === "current") return { kind: "current" };
    if (token.text === "(") {
      const node = binary(0);
      take(")");
      return node;
    }
    if (token.kind === "name" && (token.text === "true" || token.text === "false")) {
      take("(");
      take(")");
      return { kind: "literal", value: token.text === "true" };
    }
    if (token.kind === "name" && token.text in FUNCTIONS) {
      take("(");
      const args = [binary(0)];
      while (accept([","])) args.push(binary(0));
      take(")");
      if (args.length !== FUNCTIONS[token.text])
        throw new ExpressionError(`${token.text}() : nombre d'arguments`);
      return { kind: "call", name: token.text, args };
    }
    throw new ExpressionError(`« ${token.text} » inattendu`);
  };
  const node = binary(0);
  if (index < list.length) throw new ExpressionError(`« ${list[index].text} » inattendu`);
  return node;
}

function toNumber(value: unknown): number | null {
  if (typeof value === "boolean" || value === null || value === undefined || value === "") return null;
  if (typeof value === "number") return value;
  const number = Number(value);
  return Number.isNaN(number) ? null : number;
}

/** Answers as XLSForm sees them: yes/no as 'yes'/'no'. */
const comparable = (value: unknown) => (value === true ? "yes" : value === false ? "no" : value);

function compare(operator: string, rawLeft: unknown, rawRight: unknown): boolean {
  let left = comparable(rawLeft);
  let right = comparable(rawRight);
  if (left === null || left === undefined || right === null || right === undefined) {
    const other = left === null || left === undefined ? right : left;
    const empty = other === null || other === undefined || other === "";
    return (operator === "=" && empty) || (operator === "!=" && !empty);
  }
  const leftNumber = toNumber(left);
  const rightNumber = toNumber(right);
  if (
    leftNumber !== null &&
    rightNumber !== null &&
    !(typeof left === "string" && typeof right === "string")
  ) {
    left = leftNumber;
    right = rightNumber;
  } else {
    left = String(left);
    right = String(right);
  }
  const [a, b] = [left as number | string, right as number | string];
  switch (operator) {
    case "=":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

function arithmetic(operator: string, left: unknown, right: unknown): number | null {
  const a = toNumber(left);
  const b = toNumber(right);
  if (a === null || b === null) return null;
  if (operator === "+") return a + b;
  if (operator === "-") return a - b;
  if (operator === "*") return a * b;
  if (b === 0) return null;
  // Python's % takes the sign of the divisor.
  return operator === "div" ? a / b : ((a % b) + b) % b;
}

function truthy(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  return !(
    value === null ||
    value === undefined ||
    value === "" ||
    (Array.isArray(value) && value.length === 0)
  );
}

export type Answers = Record<string, unknown>;

function evaluate(node: Node, lookup: (key: string) => unknown, current: unknown): unknown {
  switch (node.kind) {
    case "literal":
      return node.value;
    case "reference":
      return lookup(node.key);
    case "current":
      return current;
    case "call": {
      const values = node.args.map((arg) => evaluate(arg, lookup, current));
      if (node.name === "not") return !truthy(values[0]);
      if (node.name === "selected") {
        return Array.isArray(values[0]) ? values[0].includes(String(values[1])) : values[0] === values[1];
      }
      if (node.name === "count-selected") return Array.isArray(values[0]) ? values[0].length : 0;
      return values[0] === null || values[0] === undefined ? 0 : String(values[0]).length;
    }
    case "op": {
      if (node.operator === "or")
        return truthy(evaluate(node.left, lookup, current)) || truthy(evaluate(node.right, lookup, current));
      if (node.operator === "and")
        return truthy(evaluate(node.left, lookup, current)) && truthy(evaluate(node.right, lookup, current));
      const left = evaluate(node.left, lookup, current);
      const right = evaluate(node.right, lookup, current);
      return COMPARISONS.has(node.operator)
        ? compare(node.operator, left, right)
        : arithmetic(node.operator, left, right);
    }
  }
}

const compiled = new Map<string, Node>();

/** True when `source` holds for these answers (`grid.item` reads one row of a grid; `.` is `current`). */
export function holds(source: string, answers: Answers, current: unknown = null): boolean {
  let tree = compiled.get(source);
  if (!tree) {
    tree = parse(source);
    compiled.set(source, tree);
  }
  const lookup = (key: string): unknown => {
    const dot = key.indexOf(".");
    if (dot < 0) return answers[key] ?? null;
    const grid = answers[key.slice(0, dot)];
    return grid && typeof grid === "object" && !Array.isArray(grid)
      ? ((grid as Answers)[key.slice(dot + 1)] ?? null)
      : null;
  };
  return truthy(evaluate(tree, lookup, current));
}
