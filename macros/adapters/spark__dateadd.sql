{#-
    Overrides dbt-spark's dateadd (dbt.dateadd dispatches to the root project first):
    that one goes through to_unix_timestamp, which drops fractions of a second, and
    adds nothing for 'microsecond'. timestampadd keeps microseconds. When this project
    is installed as a package, the consuming project enables it with
    `dispatch: [{macro_namespace: dbt, search_order: [<your project>, crm_revenue, dbt]}]`.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    timestampadd({{ datepart | upper }}, {{ interval }}, {{ from_date_or_timestamp }})
{% endmacro %}
