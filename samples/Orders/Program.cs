using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orders.Stores;

var builder = WebApplication.CreateSlimBuilder(args);
builder.AddRampart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<OrderStore>();

var app = builder.Build();
app.UseRampart();
app.MapRampartEndpoints();
app.Run();

/// <summary>The sample's entry point, visible to its end-to-end tests.</summary>
public partial class Program
{
}
