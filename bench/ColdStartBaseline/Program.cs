// The least an ASP.NET Core app does to answer one request: the floor the control plane's cold start is compared with.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(Environment.GetEnvironmentVariable("BASELINE_URL") ?? "http://127.0.0.1:8099");
var app = builder.Build();
app.MapGet("/hub/health", () => Results.Json(new { status = "ok" }));
app.Run();
