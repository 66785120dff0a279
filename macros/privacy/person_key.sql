{#-
    A stable pseudonymous key for a person's CRM Id (a lead, a contact, an owner): the MD5
    of the var person_key_salt, '|' and the Id; null for a null Id. The same Id and salt
    always give the same key, so people can be counted and joined across marts without
    BI seeing who they are. Keep the salt secret (set it with --vars in production).
-#}
{% macro person_key(expression) %}
    {%- set salt = var('person_key_salt') | string | replace("'", "''") -%}
    case
        when {{ expression }} is not null
            then {{ dbt.hash("'" ~ salt ~ "|' || cast(" ~ expression ~ " as " ~ dbt.type_string() ~ ")") }}
    end
{% endmacro %}
