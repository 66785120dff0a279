{#-
    True for a real calendar date written YYYY-MM-DD (a YAML date counts: `2026-11-30`
    unquoted in --vars arrives as a date). 2024-02-30 or 2024-13-01 are not dates.
-#}
{% macro is_date_value(value) %}
    {%- if value is none or value is boolean or value is number -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set match = modules.re.fullmatch('([0-9]{4})-([0-9]{2})-([0-9]{2})', value | string) -%}
    {%- if match is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set year, month, day = match.group(1) | int, match.group(2) | int, match.group(3) | int -%}
    {%- if month < 1 or month > 12 or day < 1 or year < 1 -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] -%}
    {{ return(day <= days) }}
{% endmacro %}
