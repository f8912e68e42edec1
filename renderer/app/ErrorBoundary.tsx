/** @file Catches a rendering failure and shows its message with a way back, instead of a blank window or a stack. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { describeError } from './describeError';
import { StartupProblem } from './StartupProblem';

interface ErrorBoundaryProps {
  children: ReactNode;
  /** Called by "Try again", before the children are rendered anew. */
  onReset(): void;
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, { message: string | null }> {
  override state = { message: null as string | null };

  static getDerivedStateFromError(error: unknown): { message: string } {
    return { message: describeError(error) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // For developers only; the user sees the one-line message.
    console.warn('The studio UI failed to render:', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.message === null) return this.props.children;
    return (
      <StartupProblem
        title="Something went wrong in the studio"
        message={`${this.state.message} Your last saved version is safe on disk.`}
        onRetry={() => {
          this.props.onReset();
          this.setState({ message: null });
        }}
      />
    );
  }
}
