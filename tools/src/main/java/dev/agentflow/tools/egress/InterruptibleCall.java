package dev.agentflow.tools.egress;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;

/**
 * Runs an OkHttp call so that interrupting the calling thread cancels it. OkHttp's blocking
 * {@code execute()} sits in a socket read that a thread interrupt does not wake, so an activity
 * whose run was cancelled (its heartbeat interrupts the activity thread) would wait out the whole
 * read timeout. Here the call runs on OkHttp's dispatcher and the caller waits on a future, which
 * an interrupt does end; the call is then cancelled, closing its socket.
 */
public final class InterruptibleCall {

  private InterruptibleCall() {}

  /** The response of {@code call}; the caller closes it. */
  public static Response execute(Call call) throws IOException {
    CompletableFuture<Response> response = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call failed, IOException e) {
        response.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call answered, Response answer) {
        if (!response.complete(answer)) {
          answer.close(); // the caller gave up in the meantime
        }
      }
    });
    try {
      return response.get();
    } catch (InterruptedException e) {
      call.cancel();
      response.cancel(false);
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("the HTTP call was interrupted");
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(cause);
    }
  }
}
