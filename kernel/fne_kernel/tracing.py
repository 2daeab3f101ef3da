"""OpenTelemetry traces, gateway → service → database, off unless an OTLP endpoint is set.

`OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), the standard variables, turn it on:
spans are sent over OTLP/HTTP in batches. Each request gets a server span carrying the request id
(`fne.request_id`, the one in the logs and the X-Request-ID header) and the route template; the gateway passes
the trace on to the service in a W3C `traceparent` header, and each SQL statement is a child span (statements,
never their parameters). The gateway starts a new trace for every client request
rather than continuing one a client claims (`trust_traceparent=False`).

Off, the cost is one attribute test per request: nothing is created, no header is added.
"""

import contextlib
import os
from collections.abc import MutableMapping
from typing import Any

from starlette.types import Scope

_provider: Any = None  # the TracerProvider once tracing is on, else None
_configured = False


def enabled() -> bool:
    return _provider is not None


def configure(component: str, exporter: Any = None) -> bool:
    """Turns tracing on for this process when an endpoint is set (or an exporter is given, for tests)."""
    global _provider, _configured
    if exporter is None:
        if _provider is not None or _configured:
            return enabled()
        _configured = True
        if not (
            os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
            or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        ):
            return False
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME") or f"fne-{component}"
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    _provider = provider
    return True


def disable() -> None:
    """Back to no tracing, the environment read again at the next `configure` (tests)."""
    global _provider, _configured
    if _provider is not None:
        _provider.shutdown()
    _provider, _configured = None, False


def flush() -> None:
    """Sends the spans still in the batch (tests, and before a process ends)."""
    if _provider is not None:
        _provider.force_flush()


def instrument_engine(engine: Any) -> None:
    """A client span per SQL statement of this engine, child of the request's span, when tracing is on.

    The statement's text is recorded, never its parameters (they hold personal data)."""
    if _provider is None:
        return
    from opentelemetry import trace
    from sqlalchemy import event

    tracer = _provider.get_tracer("fne.db")
    system = engine.dialect.name

    def before(_conn: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool) -> None:
        if context is not None:
            operation = statement.split(None, 1)[0].upper() if statement.strip() else "SQL"
            context._fne_span = tracer.start_span(
                f"{operation} {system}",
                kind=trace.SpanKind.CLIENT,
                attributes={"db.system.name": system, "db.query.text": statement[:2000]},
            )

    def after(_conn: Any, _cursor: Any, _statement: str, _parameters: Any, context: Any, _many: bool) -> None:
        span = getattr(context, "_fne_span", None)
        if span is not None:
            span.end()
            context._fne_span = None

    def failed(exception_context: Any) -> None:
        span = getattr(exception_context.execution_context, "_fne_span", None)
        if span is not None:
            span.set_status(
                trace.Status(trace.StatusCode.ERROR, type(exception_context.original_exception).__name__)
            )
            span.end()
            exception_context.execution_context._fne_span = None

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    event.listen(engine.sync_engine, "after_cursor_execute", after)
    event.listen(engine.sync_engine, "handle_error", failed)


def statement_span(system: str, statement: str) -> Any:
    """A context manager: the span of one SQL statement run on a driver connection directly, outside
    SQLAlchemy's execution (which `instrument_engine` follows), like those: child of the current span, its
    text recorded, never its parameters (a no-op when off)."""
    if _provider is None:
        return contextlib.nullcontext()
    from opentelemetry import trace

    operation = statement.split(None, 1)[0].upper() if statement.strip() else "SQL"
    return _provider.get_tracer("fne.db").start_as_current_span(
        f"{operation} {system}",
        kind=trace.SpanKind.CLIENT,
        attributes={"db.system.name": system, "db.query.text": statement[:2000]},
    )


def server_span(scope: Scope, component: str, trust_traceparent: bool) -> Any:
    """A context manager: the request's span, current while the request is served (a no-op when off)."""
    if _provider is None:
        return contextlib.nullcontext()
    from opentelemetry import trace
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    parent = None
    if trust_traceparent:
        carrier = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in (b"traceparent", b"tracestate")
        }
        parent = TraceContextTextMapPropagator().extract(carrier)
    tracer = _provider.get_tracer("fne")
    return tracer.start_as_current_span(
        f"{scope['method']} {component}", context=parent, kind=trace.SpanKind.SERVER
    )


def finish_server_span(span: Any, scope: Scope, route: str, status: int) -> None:
    """Names the span after the route template and records what the logs record."""
    if _provider is None:
        return
    from opentelemetry import trace

    current = trace.get_current_span()
    if not current.is_recording():
        return
    current.update_name(f"{scope['method']} {route}")
    current.set_attributes(
        {
            "http.request.method": scope["method"],
            "url.path": scope["path"],
            "http.route": route,
            "http.response.status_code": status,
            "fne.request_id": scope.get("state", {}).get("request_id", ""),
        }
    )
    if status >= 500:
        current.set_status(trace.Status(trace.StatusCode.ERROR))


def inject(headers: MutableMapping[str, str]) -> None:
    """Adds the current trace's `traceparent` to an outgoing request's headers (nothing when off)."""
    if _provider is None:
        return
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    TraceContextTextMapPropagator().inject(headers)
