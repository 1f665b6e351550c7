package io.datafabric.api.http;

import java.util.List;

/**
 * A request that cannot be served, with the HTTP status and a JSON body naming the problem: {@code
 * {"error": code, "message": text, "details": [...], "requestId": id}}.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String code;
    private final List<String> details;
    private final long retryAfterSeconds;

    public ApiError(int status, String code, String message) {
        this(status, code, message, List.of(), 0);
    }

    public ApiError(int status, String code, String message, List<String> details) {
        this(status, code, message, details, 0);
    }

    public ApiError(
            int status, String code, String message, List<String> details, long retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
        this.retryAfterSeconds = retryAfter;
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    public static ApiError conflict(String message) {
        return new ApiError(409, "conflict", message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError unprocessable(String message, List<String> reasons) {
        return new ApiError(422, "invalid", message, reasons);
    }

    public static ApiError tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiError(429, "rate_limited", message, List.of(), retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<String> details() {
        return details;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
