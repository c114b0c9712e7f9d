import { createInterface } from 'node:readline';
import { CommandError } from './errors';

/**
 * Passwords come from the environment (for the OS scheduler) or from standard input: one per
 * line, in the order the command asks for them. They never come from the command line, where
 * any user of the machine could read them in the process list.
 */
export class SecretInput {
  private lines: string[] | null = null;

  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly stdin: NodeJS.ReadStream = process.stdin,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  async get(envName: string, prompt: string): Promise<string> {
    const fromEnv = this.env[envName];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (this.stdin.isTTY) return this.ask(prompt);
    this.lines ??= await this.readAll();
    const line = this.lines.shift();
    if (line === undefined || line === '') {
      throw new CommandError(`Не задан пароль: ${prompt.toLowerCase()}. Передайте его в переменной ${envName} или строкой на стандартный ввод.`);
    }
    return line;
  }

  private async readAll(): Promise<string[]> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .split(/\r?\n/);
  }

  /** Asks on the terminal without echoing what is typed. */
  private ask(prompt: string): Promise<string> {
    return new Promise((resolve) => {
      const rl = createInterface({ input: this.stdin, output: this.stderr, terminal: true });
      const output = rl as unknown as { _writeToOutput: (s: string) => void };
      let prompted = false;
      output._writeToOutput = (text: string) => {
        if (!prompted) {
          this.stderr.write(text);
          prompted = true;
        }
      };
      rl.question(`${prompt}: `, (answer) => {
        this.stderr.write('\n');
        rl.close();
        resolve(answer);
      });
    });
  }
}
