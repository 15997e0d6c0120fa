// Lint rules that keep the architecture honest: no floating promises (a lost
// rejection is lost data), type-only imports, no import cycles.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";

export default tseslint.config(
  // bin/ holds the one-file JS shim that starts cli/main.ts under tsx.
  { ignores: ["node_modules/**", "bench/results/**", "eslint.config.js", "bin/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "import-x": importX },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        { allowNumber: true, allowBoolean: true },
      ],
      "import-x/no-cycle": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/services/*/**", "../../services/**"],
              message: "Services talk over NATS and Postgres, not through each other's internals.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["tests/**/*.ts", "scripts/**/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  // Scripts that run inside test images (plain node, no build step, no packages).
  {
    files: ["tests/fixtures/images/**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: "module",
      globals: Object.fromEntries(
        "process console fetch URL setInterval".split(" ").map((name) => [name, "readonly"]),
      ),
    },
  },
  // The web console's front-end: browser ES modules served as they are, no build step.
  {
    files: ["services/api/console/static/**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: "module",
      globals: Object.fromEntries(
        "window document location history fetch EventSource FormData URLSearchParams console setTimeout clearTimeout addEventListener removeEventListener devicePixelRatio Date"
          .split(" ")
          .map((name) => [name, "readonly"]),
      ),
    },
  },
);
