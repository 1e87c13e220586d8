// A scripted stand-in for the quick inputs the extension shows: createQuickPick,
// createInputBox and showQuickPick are swapped on the shared `vscode.window` object (the
// tests and the extension get the same API object) and every step shown is recorded.
// Each step is answered from a script, one answer at a time, after the step is shown.
import * as vscode from 'vscode';

/** How to answer one step: pick an item by label, type a value and accept, go Back, or close. */
export type Answer = { pick: string | RegExp } | { type: string } | 'back' | 'cancel';

/** An answer, or a function that decides (e.g. computes an MFA code) once the step is shown. */
export type ScriptEntry = Answer | ((step: ShownStep) => Answer | Promise<Answer>);

export interface ShownStep {
  kind: 'quickPick' | 'inputBox' | 'showQuickPick';
  title?: string;
  step?: number;
  totalSteps?: number;
  placeholder?: string;
  prompt?: string;
  /** Item labels, as shown (codicons included). */
  items: string[];
  /** The label of the item the step starts on. */
  active?: string;
  value?: string;
  password?: boolean;
  /** The message shown when the step opened (e.g. AWS's rejection of the last MFA code). */
  validationMessage?: string;
  /** Messages the step showed after a typed value was accepted (the value was refused). */
  refused: string[];
  canGoBack: boolean;
  answers: Answer[];
}

type Input = FakeQuickPick | FakeInputBox;

function messageText(message: string | vscode.InputBoxValidationMessage | undefined): string | undefined {
  return typeof message === 'object' ? message.message : message;
}

function matches(label: string, wanted: string | RegExp): boolean {
  if (typeof wanted !== 'string') return wanted.test(label);
  // "$(database) RDS" is picked by "RDS" too.
  return label === wanted || label.replace(/^\$\([\w-]+\)\s*/, '') === wanted;
}

abstract class FakeInput {
  title: string | undefined;
  step: number | undefined;
  totalSteps: number | undefined;
  placeholder: string | undefined;
  buttons: readonly vscode.QuickInputButton[] = [];
  ignoreFocusOut = false;
  enabled = true;
  busy = false;
  disposed = false;
  readonly hideEmitter = new vscode.EventEmitter<void>();
  readonly acceptEmitter = new vscode.EventEmitter<void>();
  readonly buttonEmitter = new vscode.EventEmitter<vscode.QuickInputButton>();
  readonly onDidHide = this.hideEmitter.event;
  readonly onDidAccept = this.acceptEmitter.event;
  readonly onDidTriggerButton = this.buttonEmitter.event;

  constructor(protected readonly owner: FakeQuickInput) {}

  show(): void {
    this.owner.shown(this as unknown as Input);
  }

  hide(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.hideEmitter.fire();
  }

  dispose(): void {
    this.hide();
  }

  get canGoBack(): boolean {
    return this.buttons.includes(vscode.QuickInputButtons.Back);
  }
}

class FakeQuickPick extends FakeInput {
  readonly kind = 'quickPick';
  items: readonly vscode.QuickPickItem[] = [];
  activeItems: readonly vscode.QuickPickItem[] = [];
  selectedItems: readonly vscode.QuickPickItem[] = [];
  value = '';
  canSelectMany = false;
  matchOnDescription = false;
  matchOnDetail = false;
  readonly selectionEmitter = new vscode.EventEmitter<readonly vscode.QuickPickItem[]>();
  readonly onDidChangeSelection = this.selectionEmitter.event;
  readonly onDidChangeActive = new vscode.EventEmitter<readonly vscode.QuickPickItem[]>().event;
  readonly onDidChangeValue = new vscode.EventEmitter<string>().event;
  readonly onDidTriggerItemButton = new vscode.EventEmitter<unknown>().event;
}

class FakeInputBox extends FakeInput {
  readonly kind = 'inputBox';
  value = '';
  prompt: string | undefined;
  password = false;
  validationMessage: string | vscode.InputBoxValidationMessage | undefined;
  valueSelection: readonly [number, number] | undefined;
  readonly valueEmitter = new vscode.EventEmitter<string>();
  readonly onDidChangeValue = this.valueEmitter.event;
}

type Window = { createQuickPick: unknown; createInputBox: unknown; showQuickPick: unknown };

/**
 * Install with `FakeQuickInput.install(script)`, dispose in afterEach. `steps` lists what
 * was shown, in order; `problems` lists script mistakes (a label not offered, Back where
 * there is none, the script running out), which `assertScriptDone()` turns into a failure.
 */
export class FakeQuickInput implements vscode.Disposable {
  readonly steps: ShownStep[] = [];
  readonly problems: string[] = [];
  private readonly script: ScriptEntry[];
  private readonly original: Window;

  private constructor(script: ScriptEntry[]) {
    this.script = [...script];
    const w = vscode.window as unknown as Window;
    this.original = {
      createQuickPick: w.createQuickPick,
      createInputBox: w.createInputBox,
      showQuickPick: w.showQuickPick,
    };
    w.createQuickPick = () => new FakeQuickPick(this);
    w.createInputBox = () => new FakeInputBox(this);
    w.showQuickPick = (items: unknown, options?: vscode.QuickPickOptions) => this.showQuickPick(items, options);
  }

  static install(script: ScriptEntry[] = []): FakeQuickInput {
    return new FakeQuickInput(script);
  }

  /** Appends answers (for a flow whose later steps depend on what happened). */
  push(...entries: ScriptEntry[]): void {
    this.script.push(...entries);
  }

  get remaining(): number {
    return this.script.length;
  }

  /** The steps of the Request Access conversation only (not the Renew offer, for instance). */
  stepsTitled(title: string): ShownStep[] {
    return this.steps.filter((s) => s.title === title);
  }

  assertScriptDone(): void {
    if (this.problems.length > 0)
      throw new Error(`the scripted quick input went wrong: ${this.problems.join('; ')}\nsteps: ${this.describe()}`);
    if (this.script.length > 0)
      throw new Error(`${this.script.length} scripted answer(s) were never asked for; steps: ${this.describe()}`);
  }

  describe(): string {
    return this.steps
      .map(
        (s) =>
          `[${s.kind} ${s.step ?? '-'}/${s.totalSteps ?? '-'} "${s.placeholder ?? s.prompt ?? ''}"${s.validationMessage ? ` !${s.validationMessage}` : ''} → ${s.answers.map((a) => JSON.stringify(a)).join(', ')}]`,
      )
      .join(' ');
  }

  dispose(): void {
    Object.assign(vscode.window, this.original);
  }

  /** Called by a fake input's show(): record it, then answer on a later turn, as a user would. */
  shown(input: Input): void {
    const step: ShownStep = {
      kind: input.kind,
      title: input.title,
      step: input.step,
      totalSteps: input.totalSteps,
      placeholder: input.placeholder,
      items: input.kind === 'quickPick' ? input.items.map((i) => i.label) : [],
      active: input.kind === 'quickPick' ? input.activeItems[0]?.label : undefined,
      canGoBack: input.canGoBack,
      refused: [],
      answers: [],
      ...(input.kind === 'inputBox'
        ? {
            prompt: input.prompt,
            value: input.value,
            password: input.password,
            validationMessage: messageText(input.validationMessage),
          }
        : {}),
    };
    this.steps.push(step);
    setTimeout(() => void this.answer(input, step), 0);
  }

  private async next(step: ShownStep): Promise<Answer | undefined> {
    const entry = this.script.shift();
    if (entry === undefined) {
      this.problems.push(`no answer left for the ${step.kind} "${step.placeholder ?? step.prompt ?? ''}"`);
      return undefined;
    }
    const answer = typeof entry === 'function' ? await entry(step) : entry;
    step.answers.push(answer);
    return answer;
  }

  private async answer(input: Input, step: ShownStep): Promise<void> {
    for (;;) {
      if (input.disposed) return;
      const answer = await this.next(step);
      if (answer === undefined || answer === 'cancel') return input.hide();
      if (answer === 'back') {
        if (!input.canGoBack) {
          this.problems.push(`Back is not offered at "${step.placeholder ?? step.prompt ?? ''}"`);
          return input.hide();
        }
        return input.buttonEmitter.fire(vscode.QuickInputButtons.Back);
      }
      if ('pick' in answer) return this.pick(input, step, answer.pick);
      if (input.kind !== 'inputBox') {
        this.problems.push(`typed "${answer.type}" into a pick list`);
        return input.hide();
      }
      input.value = answer.type;
      input.valueEmitter.fire(answer.type);
      input.acceptEmitter.fire();
      // Accepted values close the box; a refused one leaves it open with a message.
      await new Promise((r) => setTimeout(r, 0));
      if (input.disposed) return;
      step.refused.push(messageText(input.validationMessage) ?? '(no message)');
    }
  }

  private pick(input: Input, step: ShownStep, wanted: string | RegExp): void {
    const item = input.kind === 'quickPick' ? input.items.find((i) => matches(i.label, wanted)) : undefined;
    if (!item || input.kind !== 'quickPick') {
      this.problems.push(
        `"${String(wanted)}" is not offered at "${step.placeholder ?? ''}" (offered: ${step.items.join(', ')})`,
      );
      return input.hide();
    }
    input.activeItems = [item];
    input.selectedItems = [item];
    input.selectionEmitter.fire([item]);
    input.acceptEmitter.fire();
  }

  private async showQuickPick(
    items: unknown,
    options?: vscode.QuickPickOptions,
  ): Promise<vscode.QuickPickItem | string | undefined> {
    const list = (await (items as Thenable<readonly (vscode.QuickPickItem | string)[]>)) ?? [];
    const label = (i: vscode.QuickPickItem | string) => (typeof i === 'string' ? i : i.label);
    const step: ShownStep = {
      kind: 'showQuickPick',
      title: options?.title,
      placeholder: options?.placeHolder,
      items: list.map(label),
      canGoBack: false,
      refused: [],
      answers: [],
    };
    this.steps.push(step);
    const answer = await this.next(step);
    if (answer === undefined || answer === 'cancel') return undefined;
    if (answer === 'back' || !('pick' in answer)) {
      this.problems.push(`showQuickPick "${options?.placeHolder ?? ''}" can only be picked from or cancelled`);
      return undefined;
    }
    const found = list.find((i) => matches(label(i), answer.pick));
    if (!found)
      this.problems.push(
        `"${String(answer.pick)}" is not offered at "${options?.placeHolder ?? ''}" (offered: ${step.items.join(', ')})`,
      );
    return found;
  }
}

export interface ShownMessage {
  severity: 'error' | 'warning' | 'information';
  message: string;
  actions: string[];
}

type MessageWindow = { showErrorMessage: unknown; showWarningMessage: unknown; showInformationMessage: unknown };

/** Captures the notifications the extension shows; each answers "dismissed" unless told to pick. */
export class CapturedMessages implements vscode.Disposable {
  readonly shown: ShownMessage[] = [];
  private readonly original: MessageWindow;
  /** Return an action title to choose it, or undefined to dismiss. */
  respond: (message: ShownMessage) => string | undefined = () => undefined;

  constructor() {
    const w = vscode.window as unknown as MessageWindow;
    this.original = {
      showErrorMessage: w.showErrorMessage,
      showWarningMessage: w.showWarningMessage,
      showInformationMessage: w.showInformationMessage,
    };
    const capture =
      (severity: ShownMessage['severity']) =>
      (message: string, ...rest: unknown[]) => {
        const actions = rest.filter((a): a is string => typeof a === 'string');
        const shown = { severity, message, actions };
        this.shown.push(shown);
        return Promise.resolve(this.respond(shown));
      };
    w.showErrorMessage = capture('error');
    w.showWarningMessage = capture('warning');
    w.showInformationMessage = capture('information');
  }

  errors(): ShownMessage[] {
    return this.shown.filter((m) => m.severity === 'error');
  }

  dispose(): void {
    Object.assign(vscode.window, this.original);
  }
}
