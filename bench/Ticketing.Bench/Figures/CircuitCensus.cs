using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Bench.Figures;

/// <summary>
/// For profiling B5: the components each open circuit holds, by type, with the render-tree frames
/// they keep (a component keeps its current tree and the previous one, for diffing; a frame is about
/// 40 bytes). Read by reflection from ASP.NET Core's internals (the circuit registry and each
/// renderer's component states), which no public API exposes, so it may need adjusting on a
/// framework update; it runs only when B5 is asked to hold its pages open.
/// </summary>
internal static class CircuitCensus
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Take(IServiceProvider services)
    {
        var registryType = typeof(Microsoft.AspNetCore.Components.Server.CircuitOptions).Assembly
            .GetType("Microsoft.AspNetCore.Components.Server.Circuits.CircuitRegistry", throwOnError: true)!;
        var registry = services.GetRequiredService(registryType);
        var circuits = (IDictionary)Property(registry, "ConnectedCircuits")!;
        var byType = new Dictionary<string, (int Count, long Capacity, long Used)>();
        foreach (DictionaryEntry circuit in circuits)
        {
            var renderer = Property(circuit.Value!, "Renderer")!;
            foreach (DictionaryEntry entry in (IDictionary)Field(renderer, "_componentStateById")!)
            {
                var state = entry.Value!;
                long capacity = 0, used = 0;
                foreach (var builder in Fields(state).Where(f => f.FieldType.Name == "RenderTreeBuilder").Select(f => f.GetValue(state)).OfType<object>())
                {
                    var frames = Field(builder, "_entries")!;
                    capacity += ((Array?)Fields(frames).FirstOrDefault(f => f.FieldType.IsArray)?.GetValue(frames))?.Length ?? 0;
                    used += Convert.ToInt64(Field(frames, "_itemsInUse") ?? 0, Inv);
                }

                var name = Property(state, "Component")!.GetType().Name;
                byType.TryGetValue(name, out var sum);
                byType[name] = (sum.Count + 1, sum.Capacity + capacity, sum.Used + used);
            }
        }

        var n = Math.Max(1, circuits.Count);
        var lines = new List<string>
        {
            string.Create(Inv, $"{circuits.Count} circuits; per circuit: {byType.Values.Sum(v => v.Count) / (double)n:0.0} components, {byType.Values.Sum(v => v.Capacity) / (double)n:0} render-tree frames held ({byType.Values.Sum(v => v.Used) / (double)n:0} in use)"),
        };
        lines.AddRange(byType.OrderByDescending(kv => kv.Value.Capacity).Select(kv =>
            string.Create(Inv, $"  {kv.Key,-40} {kv.Value.Count / (double)n,5:0.0} components {kv.Value.Capacity / (double)n,7:0} frames held {kv.Value.Used / (double)n,7:0} in use")));
        return string.Join(Environment.NewLine, lines);
    }

    private static IEnumerable<FieldInfo> Fields(object target)
    {
        for (var type = target.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(Members))
            {
                yield return field;
            }
        }
    }

    private static object? Field(object target, string name) => Fields(target).FirstOrDefault(f => f.Name == name)?.GetValue(target);

    private static object? Property(object target, string name)
    {
        for (var type = target.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetProperty(name, Members) is { } property)
            {
                return property.GetValue(target);
            }
        }

        return null;
    }
}
