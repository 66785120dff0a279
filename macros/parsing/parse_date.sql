{#- Parses an export date (`YYYY-MM-DD`; a full timestamp is cut to its UTC date). -#}
{% macro parse_date(expression) %}
    {{ return(adapter.dispatch('parse_date', 'crm_revenue')(expression)) }}
{% endmacro %}

{% macro default__parse_date(expression) %}
    {{ dbt.safe_cast(expression, 'date') }}
{% endmacro %}

{% macro duckdb__parse_date(expression) %}
    coalesce(try_cast({{ expression }} as date), cast({{ crm_revenue.parse_timestamp(expression) }} as date))
{% endmacro %}

{#- Spark's date cast would drop a timestamp's zone: only plain dates are cast directly. -#}
{% macro spark__parse_date(expression) %}
    case
        when {{ expression }} rlike '^[0-9]+-[0-9]+-[0-9]+$' then try_cast({{ expression }} as date)
        else cast({{ crm_revenue.parse_timestamp(expression) }} as date)
    end
{% endmacro %}

