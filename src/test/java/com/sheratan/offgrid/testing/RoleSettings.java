package com.sheratan.offgrid.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Settings ({@code key=value}) one test method of a {@link RoleTest} boots its role with, on top of the class's. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RoleSettings {
    String[] value();
}
