{#- Parses a dot-decimal amount into an exact decimal with `scale` places (6: amount_type, 12: rate_type); unparseable text gives null. -#}
{% macro parse_amount(expression, scale=6) %}
    {{ return(adapter.dispatch('parse_amount', 'crm_revenue')(expression, scale)) }}
{% endmacro %}

{% macro default__parse_amount(expression, scale) %}
    {#- safe: an unparseable value is null (the audit names it), never a failed build -#}
    {{ dbt.safe_cast(expression, 'decimal(38, ' ~ scale ~ ')') }}
{% endmacro %}

{% macro duckdb__parse_amount(expression, scale) %}
    try_cast({{ expression }} as decimal(38, {{ scale }}))
{% endmacro %}

{#- Spark: try_cast (a plain cast raises on bad text under ANSI mode, Spark 4's default). -#}
{#- Spark: try_cast (a plain cast raises on bad text under ANSI mode, Spark 4's default). -#}
{% macro spark__parse_amount(expression, scale) %}
    try_cast({{ expression }} as decimal(38, {{ scale }}))
{% endmacro %}

