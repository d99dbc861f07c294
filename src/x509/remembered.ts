/**
 * `compute` with its answers remembered per text, at most `limit` of them: a hook is one
 * process that asks about the same few thousand texts several times, and the bound keeps a
 * hostile flood of distinct texts from growing the memory without end (past it, start afresh).
 */
export function remembered<T>(limit: number, compute: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    let answer = answers.get(text);
    if (answer === undefined) {
      answer = compute(text);
      if (answers.size >= limit) answers.clear();
      answers.set(text, answer);
    }
    return answer;
  };
}
