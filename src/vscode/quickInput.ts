import * as vscode from 'vscode';

// The steps of a multi-step quick input (STYLE: title, "2/5", placeholder, Back,
// ignoreFocusOut, validators as pure functions). A step resolves to its answer or to
// `back`; closing the input cancels the whole flow.

export const back = Symbol('back');
export type StepResult<T> = T | typeof back;

interface StepFrame {
  title: string;
  step: number;
  totalSteps: number;
  canGoBack: boolean;
}

function frame<T extends vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox>(input: T, f: StepFrame): T {
  input.title = f.title;
  input.step = f.step;
  input.totalSteps = f.totalSteps;
  input.ignoreFocusOut = true;
  input.buttons = f.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  return input;
}

export function pickStep<T extends vscode.QuickPickItem>(
  f: StepFrame & { placeholder: string; items: readonly T[]; active?: T },
): Promise<StepResult<T>> {
  const pick = frame(vscode.window.createQuickPick<T>(), f);
  pick.placeholder = f.placeholder;
  pick.items = f.items;
  if (f.active) pick.activeItems = [f.active];
  return run(pick, (resolve) => [pick.onDidAccept(() => pick.selectedItems[0] && resolve(pick.selectedItems[0]))]);
}

export function inputStep(
  f: StepFrame & {
    placeholder: string;
    prompt: string;
    value?: string;
    password?: boolean;
    validate: (value: string) => string | undefined;
    message?: string;
  },
): Promise<StepResult<string>> {
  const box = frame(vscode.window.createInputBox(), f);
  box.placeholder = f.placeholder;
  box.prompt = f.prompt;
  box.value = f.value ?? '';
  box.password = f.password ?? false;
  // A message from the previous attempt (e.g. AWS rejected the MFA code) shows until the user types.
  box.validationMessage = f.message
    ? { message: f.message, severity: vscode.InputBoxValidationSeverity.Error }
    : undefined;
  return run(box, (resolve) => [
    box.onDidChangeValue((value) => {
      box.validationMessage = value ? f.validate(value) : undefined;
    }),
    box.onDidAccept(() => {
      const problem = f.validate(box.value);
      if (problem) box.validationMessage = problem;
      else resolve(box.value);
    }),
  ]);
}

function run<T, I extends vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox>(
  input: I,
  wire: (resolve: (value: StepResult<T>) => void) => vscode.Disposable[],
): Promise<StepResult<T>> {
  return new Promise<StepResult<T>>((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      disposables.forEach((d) => d.dispose());
      action();
      input.dispose();
    };
    const disposables = [
      ...wire((value) => finish(() => resolve(value))),
      input.onDidTriggerButton((button) => {
        if (button === vscode.QuickInputButtons.Back) finish(() => resolve(back));
      }),
      input.onDidHide(() => finish(() => reject(new vscode.CancellationError()))),
    ];
    input.show();
  });
}
