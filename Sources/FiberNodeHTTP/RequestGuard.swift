import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Per-connection guard between NIO's HTTP decoder and Hummingbird's request handling:
/// - a request must be complete (head and body) within `timeout` of the connection opening or
///   of the previous answer, else the connection is closed (slow headers, slow bodies, idle
///   keep-alive);
/// - the decoder's header-size overflow (request line + fields over the limit) is answered
///   `431 Request Header Fields Too Large` and the connection closed; Hummingbird alone would
///   answer 400.
final class RequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let timeout: TimeAmount
    private var timer: Scheduled<Void>?
    private var failed = false

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) { arm(context) }
    func handlerRemoved(context: ChannelHandlerContext) { disarm() }
    func channelInactive(context: ChannelHandlerContext) { disarm(); context.fireChannelInactive() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context)         // the body must follow within the timeout too
        case .end: disarm()              // complete: the handler runs without a clock
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(context) }   // waiting for the next request
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let e = error as? HTTPParserError, e == .headerOverflow {
            guard !failed else { return }
            failed = true
            disarm()
            var fields = HTTPFields()
            fields[.connection] = "close"
            fields[.contentLength] = "0"
            let head = HTTPResponse(status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"), headerFields: fields)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.fireErrorCaught(error)
    }

    private func arm(_ context: ChannelHandlerContext) {
        timer?.cancel()
        timer = context.eventLoop.scheduleTask(in: timeout) { [weak self] in
            guard self != nil else { return }
            context.close(promise: nil)
        }
    }

    private func disarm() { timer?.cancel(); timer = nil }
}
