import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  subjectFilterProblem,
  subjectMatches,
} from "../../../services/scheduler/webhooks/subjectFilter.js";

describe("webhook subject filters", () => {
  it.each([
    ["*.task.>", "demo.task.3f2a", true],
    ["*.task.>", "demo.service.web", false],
    ["demo.>", "demo.deployment.web", true],
    ["demo.>", "other.task.x", false],
    ["demo.*", "demo.task.x", false],
    ["demo.task.x", "demo.task.x", true],
    [">", "demo.task.x", true],
    ["demo.task.>", "demo.task", false],
  ])("%s against %s is %s", (filter, subject, expected) => {
    expect(subjectMatches(filter, subject)).toBe(expected);
  });

  it.each([
    ["a..b", /empty token/],
    ["a.>.b", /last token/],
    ["a.b*.c", /wildcard inside a token|characters/],
    [".a", /empty token/],
  ])("refuses %s", (filter, problem) => {
    expect(subjectFilterProblem(filter)).toMatch(problem);
  });

  const token = fc.stringMatching(/^[a-z0-9]{1,4}$/);
  it("a subject matches itself, `>` and its own shape in `*`s", () => {
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 5 }), (tokens) => {
        const subject = tokens.join(".");
        expect(subjectFilterProblem(subject)).toBeUndefined();
        expect(subjectMatches(subject, subject)).toBe(true);
        expect(subjectMatches(">", subject)).toBe(true);
        expect(subjectMatches(tokens.map(() => "*").join("."), subject)).toBe(true);
        expect(subjectMatches(`${subject}.>`, subject)).toBe(false);
      }),
    );
  });
});
