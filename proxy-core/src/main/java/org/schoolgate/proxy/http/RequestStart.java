package org.schoolgate.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import org.schoolgate.identity.Who;
import org.schoolgate.proxy.filter.Outcome;

/**
 * The start of an exchange, when a request's turn has come: identify the person ({@code
 * Decisions.identify}: at once from the connection's cache or a verifier cache hit, otherwise the
 * answer comes back to this loop while the request and its body wait, reading paused), decide
 * ({@code Decisions} → a typed {@link Outcome}), then act on the outcome with the front's other
 * parts: an answer of the proxy's own ({@link Answers}), a forward or a tunnel ({@link Dialer},
 * {@link RequestSender}), or an interception once the CONNECT is read whole ({@code Tunnels}).
 * A refusal the codec or guard made ({@link Rejected}) is answered here too, in its turn.
 */
final class RequestStart {
  private final FrontHandler front;
  private final ChannelHandlerContext ctx;
  private final Turn t;

  RequestStart(FrontHandler front, ChannelHandlerContext ctx) {
    this.front = front;
    this.ctx = ctx;
    this.t = front.turn;
  }

  /** A request's turn has come: decide, then act on the outcome. */
  void begin(Object msg) {
    t.begin();
    front.gate.dropPrompt();
    if (msg instanceof Rejected r) {
      t.expectsContinue = false;
      front.s.decisions().rejected(front.session, r.page(), r.rejection(), r.detail());
      t.head = false;
      t.closeAfter = true;
      t.requestDone = true;
      front.answers.answer(front.s.pages().error(r.page(), false, false));
      return;
    }
    HttpRequest req = (HttpRequest) msg;
    t.head = HttpMethod.HEAD.equals(req.method());
    t.http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
    t.closeAfter = !HttpUtil.isKeepAlive(req) || front.s.drain().draining();
    t.switching = HttpMethod.CONNECT.equals(req.method()) || req.headers().contains("upgrade");
    t.requestDone = msg instanceof LastHttpContent; // a whole request in one object
    t.expectsContinue = HttpUtil.is100ContinueExpected(req);
    CompletableFuture<Who> asked =
        front.s.decisions().identify(front.session, req, front.tunnelHost != null);
    if (asked.isDone()) {
      act(req, asked.join());
      return;
    }
    // the directory is asked off the loop: hold what follows (body parts wait in WaitingRequests)
    t.identifying = true;
    front.pauses.pause(ReadPauses.WAITING);
    int gen = t.generation;
    asked.whenComplete((who, e) -> ctx.executor().execute(() -> identified(gen, req, who)));
  }

  /** The answer of an identification that took a round trip, back on this loop. */
  private void identified(int gen, HttpRequest req, Who who) {
    if (gen != t.generation || !ctx.channel().isActive()) {
      ReferenceCountUtil.release(req);
      return;
    }
    t.identifying = false;
    front.pauses.resume(ReadPauses.WAITING);
    act(req, who);
    front.waiting.next(); // the body parts that arrived meanwhile
  }

  /** Decides {@code req} for {@code who}, then acts on the outcome. */
  private void act(HttpRequest req, Who who) {
    Outcome outcome = front.tunnelHost == null
        ? front.s.decisions().decide(front.session, req, who)
        : front.s.decisions().decideIntercepted(front.session, req, who, front.tunnelHost,
            front.tunnelPort);
    if (outcome instanceof Outcome.Answer a) {
      if (t.requestDone) {
        ReferenceCountUtil.release(req);
      }
      t.closeAfter |= t.expectsContinue && !t.requestDone; // the body never came: cannot go on
      front.answers.answer(a.response());
    } else if (outcome instanceof Outcome.Forward f) {
      if (ForwardHeaders.forThisProxy(req)) {
        if (t.requestDone) {
          ReferenceCountUtil.release(req);
        }
        front.answers.answer(ForwardHeaders.optionsAnswer());
        return;
      }
      t.upgrade = ForwardHeaders.request(req);
      t.request = req;
      t.forward = f;
      t.forwarding = true;
      front.gate.request(req, f);
      if (t.requestDone && req instanceof HttpContent whole) {
        front.gate.promptPart(whole);
      }
      front.sender.hold(req);
      front.dialer.forward(f);
    } else if (outcome instanceof Outcome.Tunnel tunnel) {
      t.tunnel = tunnel;
      front.dialer.tunnel(tunnel);
    } else {
      t.intercept = ((Outcome.Intercept) outcome).target(); // switched once the CONNECT is read
      if (t.requestDone) {
        front.s.tunnels().intercept(ctx, t.intercept);
      }
    }
  }
}
