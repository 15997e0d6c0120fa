import { readFile } from "node:fs/promises";
import { z } from "zod";
import { CreateService } from "../shared/commands/scheduler/index.js";
import { RegisterTaskDefinitionInput } from "../shared/domain/taskDefinition/index.js";
import { CliError } from "./command.js";

/**
 * A service file (`flotilla deploy -f service.json`, docs/cli.md): the cluster,
 * the task definition as RegisterTaskDefinition takes it, and the service as
 * CreateService takes it without `cluster`, `taskDefinition` and
 * `clientToken` (the task definition is the one above; deploy registers it).
 */
export const ServiceSpec = z.strictObject({
  cluster: z.string().min(1).default("default"),
  taskDefinition: RegisterTaskDefinitionInput,
  service: CreateService.payload
    .omit({ cluster: true, taskDefinition: true, clientToken: true })
    .strict(),
});
export type ServiceSpec = z.infer<typeof ServiceSpec>;

/** One zod issue as `service.deploymentConfiguration.maximumPercent: Too big…`. */
const issueLine = (issue: z.core.$ZodIssue): string =>
  `${issue.path.length > 0 ? issue.path.join(".") : "(file)"}: ${issue.message}`;

/** The spec in a JSON text; a mistake is a CliError naming the file and the field. */
export const parseServiceSpec = (text: string, file: string): ServiceSpec => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file} is not JSON: ${(err as Error).message}`, 2);
  }
  const parsed = ServiceSpec.safeParse(json);
  if (!parsed.success) {
    const [first, ...rest] = parsed.error.issues;
    throw new CliError(
      `${file}: ${issueLine(first!)}${rest.length > 0 ? ` (and ${rest.length} more problem(s))` : ""}`,
      2,
    );
  }
  return parsed.data;
};

/** Reads and parses `-f FILE` (`-` reads stdin). */
export const readServiceSpec = async (file: unknown): Promise<ServiceSpec> => {
  if (typeof file !== "string" || file === "") {
    throw new CliError("give the service file with -f service.json (docs/cli.md)", 2);
  }
  let text: string;
  try {
    text = file === "-" ? await readStdin() : await readFile(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, 2);
  }
  return parseServiceSpec(text, file);
};

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};
