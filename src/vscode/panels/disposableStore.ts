// What one panel registered (its channel, its listeners, its host), disposed together when
// the panel closes or the extension stops. Handed something after that, it disposes it at
// once, so a late registration cannot outlive its panel.
import type * as vscode from 'vscode';

export class DisposableStore implements vscode.Disposable {
  private readonly owned: vscode.Disposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }

  /** Disposes in reverse order of adding: what came later may lean on what came first. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const d of this.owned.splice(0).reverse()) d.dispose();
  }
}
