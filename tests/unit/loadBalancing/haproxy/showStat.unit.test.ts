import { describe, expect, it } from "vitest";
import {
  parseShowStat,
  splitCsvLine,
  StatParseError,
} from "../../../../services/scheduler/loadBalancing/haproxy/showStat.js";
import { showStatCsv } from "./fixtures.js";

describe("parseShowStat", () => {
  it("splits frontends, backends and servers", () => {
    const stat = parseShowStat(
      showStatCsv([
        ["listener_8080", "FRONTEND", "OPEN", 0, 0, "", "", ""],
        ["tg_web", "i-1_32768", "UP", 2, 1, "L7OK", "200", "Layer7 check passed"],
        [
          "tg_web",
          "i-2_32769",
          "DOWN 1/3",
          0,
          1,
          "* L7STS",
          "500",
          "Layer7 wrong status, code 500",
        ],
        ["tg_web", "BACKEND", "UP", 2, 1, "", "", ""],
      ]),
    );
    expect(stat.frontends).toEqual(["listener_8080"]);
    expect(stat.backends).toEqual(["tg_web"]);
    expect(stat.servers).toHaveLength(2);
    expect(stat.servers[0]).toMatchObject({
      backend: "tg_web",
      server: "i-1_32768",
      status: "UP",
      scur: 2,
      checkStatus: "L7OK",
    });
    expect(stat.servers[1]).toMatchObject({
      status: "DOWN 1/3",
      checkStatus: "* L7STS",
      checkCode: "500",
      checkDesc: "Layer7 wrong status, code 500",
    });
  });

  it("reads quoted fields", () => {
    expect(splitCsvLine('a,"b,c","say ""hi""",')).toEqual(["a", "b,c", 'say "hi"', ""]);
  });

  it("refuses an answer that is not show stat", () => {
    expect(() => parseShowStat("Unknown command.\n")).toThrow(StatParseError);
  });
});
