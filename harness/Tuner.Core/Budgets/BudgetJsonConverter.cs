using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tuner.Core.Budgets;

/// <summary>
/// A <see cref="Budget"/> in JSON as its parts, <c>{"amount": 50, "unit": "steps"}</c> (units as <see cref="BudgetUnit"/>
/// in snake case): carried typed through the worker wire format, never printed and parsed back. A value the
/// constructor refuses (not positive, a fraction of a step) is a <see cref="JsonException"/>.
/// </summary>
public sealed class BudgetJsonConverter : JsonConverter<Budget>
{
    public override Budget Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a budget is an object {\"amount\": N, \"unit\": \"steps\"}");
        }

        double? amount = null;
        BudgetUnit? unit = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString() ?? string.Empty;
            reader.Read();
            switch (name)
            {
                case "amount":
                    amount = reader.GetDouble();
                    break;
                case "unit":
                    string text = reader.GetString() ?? string.Empty;
                    unit = Enum.GetValues<BudgetUnit>().Cast<BudgetUnit?>().FirstOrDefault(u => Name(u!.Value) == text)
                        ?? throw new JsonException($"unknown budget unit '{text}'");
                    break;
                default:
                    throw new JsonException($"unknown budget field '{name}'");
            }
        }

        if (amount is not double a || unit is not BudgetUnit u2)
        {
            throw new JsonException("a budget needs both \"amount\" and \"unit\"");
        }

        try
        {
            return new Budget(a, u2);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, Budget value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber("amount", value.Amount);
        writer.WriteString("unit", Name(value.Unit));
        writer.WriteEndObject();
    }

    private static string Name(BudgetUnit unit) => JsonNamingPolicy.SnakeCaseLower.ConvertName(unit.ToString());
}
