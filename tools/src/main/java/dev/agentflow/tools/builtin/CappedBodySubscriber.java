package dev.agentflow.tools.builtin;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a byte cap, then cancels the rest: a tool result must never grow
 * past its limit, however large the page. {@link Body#truncated()} is true only when bytes beyond
 * the cap actually arrived.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<CappedBodySubscriber.Body> {

  /** The bytes read, and whether more were sent than kept. */
  record Body(byte[] bytes, boolean truncated) {}

  private final int cap;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final CompletableFuture<Body> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  CappedBodySubscriber(long cap) {
    this.cap = (int) Math.min(cap, Integer.MAX_VALUE - 8);
  }

  @Override
  public CompletionStage<Body> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      int room = cap - received.size();
      int take = Math.min(room, buffer.remaining());
      byte[] chunk = new byte[take];
      buffer.get(chunk);
      received.write(chunk, 0, take);
      if (buffer.hasRemaining()) {
        result.complete(new Body(received.toByteArray(), true));
        subscription.cancel();
        return;
      }
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    result.complete(new Body(received.toByteArray(), false));
  }
}
