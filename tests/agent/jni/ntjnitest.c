/* JNI fixture library for tests/agent/jni/java/jnitest/Native.java: each native method makes
 * the JNI calls its comment in Native.java names, so the expected jni-config.json is known
 * exactly. */
#include <jni.h>
#include <pthread.h>
#include <stdio.h>

JNIEXPORT jobject JNICALL Java_jnitest_Native_alloc(JNIEnv *env, jclass self)
{
    (void)self;
    jclass t = (*env)->FindClass(env, "jnitest/Target");
    if (!t)
        return NULL;
    return (*env)->AllocObject(env, t);
}

JNIEXPORT jint JNICALL Java_jnitest_Native_lookups(JNIEnv *env, jclass self, jobject target)
{
    (void)self;
    jclass t = (*env)->GetObjectClass(env, target);
    jmethodID cb = (*env)->GetMethodID(env, t, "callback", "(I)V");
    jmethodID tw = (*env)->GetStaticMethodID(env, t, "twice", "(I)I");
    jfieldID val = (*env)->GetFieldID(env, t, "value", "I");
    jfieldID cnt = (*env)->GetStaticFieldID(env, t, "counter", "J");
    jmethodID bm = (*env)->GetMethodID(env, t, "baseMethod", "()Ljava/lang/String;");
    jfieldID bf = (*env)->GetFieldID(env, t, "baseField", "I");
    if (!cb || !tw || !val || !cnt || !bm || !bf)
        return -1;
    (*env)->CallVoidMethod(env, target, cb, 2);
    if ((*env)->ExceptionCheck(env))
        return -2;
    jint r = (*env)->CallStaticIntMethod(env, t, tw, 21);
    if ((*env)->ExceptionCheck(env))
        return -2;
    jstring s = (jstring)(*env)->CallObjectMethod(env, target, bm);
    if ((*env)->ExceptionCheck(env) || !s)
        return -2;
    r += (jint)(*env)->GetStaticLongField(env, t, cnt);
    r += (*env)->GetIntField(env, target, bf);
    r += (*env)->GetStringLength(env, s);
    (*env)->DeleteLocalRef(env, s);
    (*env)->DeleteLocalRef(env, t);
    return r; /* 42 + 40 + 7 + 4 = 93 */
}

JNIEXPORT void JNICALL Java_jnitest_Native_throwCustom(JNIEnv *env, jclass self, jstring msg)
{
    (void)self;
    jclass ex = (*env)->FindClass(env, "jnitest/CustomException");
    if (!ex)
        return;
    const char *m = (*env)->GetStringUTFChars(env, msg, NULL);
    if (!m)
        return;
    (*env)->ThrowNew(env, ex, m);
    (*env)->ReleaseStringUTFChars(env, msg, m);
}

JNIEXPORT jobjectArray JNICALL Java_jnitest_Native_arrays(JNIEnv *env, jclass self, jint n)
{
    (void)self;
    jclass t = (*env)->FindClass(env, "jnitest/Target");
    jclass ia = (*env)->FindClass(env, "[I");
    if (!t || !ia)
        return NULL;
    jobjectArray inner = (*env)->NewObjectArray(env, 2, ia, NULL);
    jobjectArray outer = (*env)->NewObjectArray(env, n, t, NULL);
    jmethodID init = (*env)->GetMethodID(env, t, "<init>", "()V");
    if (!inner || !outer || !init)
        return NULL;
    jobject o = (*env)->NewObject(env, t, init);
    if (!o)
        return NULL;
    (*env)->SetObjectArrayElement(env, outer, 0, o);
    return outer;
}

JNIEXPORT jboolean JNICALL Java_jnitest_Native_missingMethodCleared(JNIEnv *env, jclass self)
{
    (void)self;
    jclass t = (*env)->FindClass(env, "jnitest/Target");
    if (!t)
        return JNI_FALSE;
    jmethodID m = (*env)->GetMethodID(env, t, "nope", "()V");
    jthrowable ex = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    jclass nsme = (*env)->FindClass(env, "java/lang/NoSuchMethodError");
    if (!nsme)
        return JNI_FALSE;
    return m == NULL && ex && (*env)->IsInstanceOf(env, ex, nsme);
}

JNIEXPORT void JNICALL Java_jnitest_Native_missingField(JNIEnv *env, jclass self)
{
    (void)self;
    jclass t = (*env)->FindClass(env, "jnitest/Target");
    if (t)
        (*env)->GetStaticFieldID(env, t, "nope", "I");
}

JNIEXPORT void JNICALL Java_jnitest_Native_missingClass(JNIEnv *env, jclass self)
{
    (void)self;
    (*env)->FindClass(env, "jnitest/Nope");
}

JNIEXPORT jstring JNICALL Java_jnitest_Native_reflected(JNIEnv *env, jclass self)
{
    (void)self;
    char buf[256];
    jclass t = (*env)->FindClass(env, "jnitest/Target");
    if (!t)
        return NULL;
    jmethodID tw = (*env)->GetStaticMethodID(env, t, "twice", "(I)I");
    jmethodID bm = (*env)->GetMethodID(env, t, "baseMethod", "()Ljava/lang/String;");
    jfieldID val = (*env)->GetFieldID(env, t, "value", "I");
    if (!tw || !bm || !val)
        return NULL;
    jobject rm = (*env)->ToReflectedMethod(env, t, tw, JNI_TRUE);
    jobject rb = (*env)->ToReflectedMethod(env, t, bm, JNI_FALSE);
    jobject rf = (*env)->ToReflectedField(env, t, val, JNI_FALSE);
    if (!rm || !rb || !rf)
        return NULL;
    jmethodID back = (*env)->FromReflectedMethod(env, rm);
    jfieldID fback = (*env)->FromReflectedField(env, rf);
    snprintf(buf, sizeof buf, "method=%s field=%s", back == tw ? "same" : "different",
             fback == val ? "same" : "different");
    return (*env)->NewStringUTF(env, buf);
}

/* ---- a native thread without Java frames ---- */

typedef struct thread_arg {
    JavaVM *vm;
    jint value;
} thread_arg;

static void *native_thread(void *p)
{
    thread_arg *a = p;
    JNIEnv *env = NULL;
    a->value = -1;
    if ((*a->vm)->AttachCurrentThread(a->vm, (void **)&env, NULL) != JNI_OK)
        return NULL;
    jclass t = (*env)->FindClass(env, "jnitest/Target");
    jfieldID f = t ? (*env)->GetStaticFieldID(env, t, "fromThread", "I") : NULL;
    if (f)
        a->value = (*env)->GetStaticIntField(env, t, f);
    if ((*env)->ExceptionCheck(env))
        (*env)->ExceptionClear(env);
    (*a->vm)->DetachCurrentThread(a->vm);
    return NULL;
}

JNIEXPORT jint JNICALL Java_jnitest_Native_fromNativeThread(JNIEnv *env, jclass self)
{
    (void)self;
    thread_arg a = {NULL, -2};
    pthread_t th;
    if ((*env)->GetJavaVM(env, &a.vm) != JNI_OK || pthread_create(&th, NULL, native_thread, &a))
        return -3;
    pthread_join(th, NULL);
    return a.value;
}

JNIEXPORT jboolean JNICALL Java_jnitest_Native_hiddenRun(JNIEnv *env, jclass self, jclass c)
{
    (void)self;
    return (*env)->GetMethodID(env, c, "run", "()V") != NULL;
}
