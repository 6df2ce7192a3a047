using GatewayBench;

// bench/gateway-proxy.sh runs these; each prints one line of JSON (or "ready") for the script to read.
return args switch
{
    ["backend", var port] => await StaticBackend.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)),
    ["ws-time", var url, var handshakes, var roundTrips, .. var rest] => await WebSocketTiming.RunAsync(new Uri(url), int.Parse(handshakes, System.Globalization.CultureInfo.InvariantCulture), int.Parse(roundTrips, System.Globalization.CultureInfo.InvariantCulture), rest.FirstOrDefault()),
    ["ws-hold", var url, var count, .. var rest] => await WebSocketHolder.RunAsync(new Uri(url), int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), rest.FirstOrDefault()),
    ["floor-proxy", var port, var backendPort] => await FloorProxy.RunAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), int.Parse(backendPort, System.Globalization.CultureInfo.InvariantCulture)),
    ["seed", var connection, var prefix, var target, var routes] => await StoreSeeder.RunAsync(connection, prefix, new Uri(target), int.Parse(routes, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: GatewayBench backend PORT
               GatewayBench ws-time URL HANDSHAKES ROUNDTRIPS [COOKIE]
               GatewayBench ws-hold URL COUNT [COOKIE]
               GatewayBench floor-proxy PORT BACKEND_PORT
               GatewayBench seed CONNECTION_STRING TABLE_PREFIX TARGET ROUTES
        """);
    return 2;
}
