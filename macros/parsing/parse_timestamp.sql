{#-
    Parses an export timestamp into a UTC timestamp without time zone:
    `2024-03-31T23:59:59.000Z`, `2024-03-31T23:59:59.000+0000`, `2024-03-31 23:59:59`
    and plain dates. Unparseable text gives null (staging routes such rows to the audit).
-#}
{% macro parse_timestamp(expression) %}
    {{ return(adapter.dispatch('parse_timestamp', 'crm_revenue')(expression)) }}
{% endmacro %}

{% macro default__parse_timestamp(expression) %}
    {{ dbt.safe_cast(expression, dbt.type_timestamp()) }}
{% endmacro %}

{% macro duckdb__parse_timestamp(expression) %}
    case
        when regexp_matches({{ expression }}, '(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$')
            then timezone('UTC', try_cast({{ expression }} as timestamptz))
        else try_cast({{ expression }} as timestamp)
    end
{% endmacro %}

{#-
    Spark's timestamp cast converts a zone suffix (Z, +0000, +02:00) to the session time
    zone and reads text without one in it: the profile sets spark.sql.session.timeZone=UTC.
-#}
{#-
    Spark's timestamp cast converts a zone suffix (Z, +0000, +02:00) to the session time
    zone and reads text without one in it: the profile sets spark.sql.session.timeZone=UTC.
-#}
{% macro spark__parse_timestamp(expression) %}
    try_cast({{ expression }} as timestamp)
{% endmacro %}

